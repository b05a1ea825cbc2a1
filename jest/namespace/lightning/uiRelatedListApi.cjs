/** lightning/uiRelatedListApi for a component compiled with the test namespace (see ../runtime.cjs). */
module.exports = require('../runtime.cjs').namespacedModule(require('lightning/uiRelatedListApi'), []);
