/** lightning/empApi for a component compiled with the test namespace (see ../runtime.cjs). */
module.exports = require('../runtime.cjs').namespacedModule(require('lightning/empApi'), ['subscribe', 'unsubscribe']);
