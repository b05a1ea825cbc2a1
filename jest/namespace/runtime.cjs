/**
 * The org a namespaced component talks to in the namespaced Jest run: what the org sends (wire values, imperative
 * results, event messages) carries the prefix; what the component sends (wire configs, record inputs, channels) is
 * read back without it, so the tests' own mocks and assertions stay in plain names. A package name the component
 * sends without the prefix — a plain string in a component — is recorded and fails the test (setup.cjs).
 */
const { createNamespace } = require('../../scripts/lib/package-names.cjs');
const { TEST_NAMESPACE } = require('./config.cjs');

const ns = createNamespace(TEST_NAMESPACE);

const isWireAdapter = (value) => typeof value === 'function' && typeof value.emit === 'function';

function wrapAdapter(adapterId) {
  // sfdx-lwc-jest's adapters are callables whose wire adapter class is `adapter` (the engine looks there too).
  const Adapter = adapterId.adapter ?? adapterId;
  class NamespacedAdapter {
    constructor(dataCallback, ...rest) {
      this.inner = new Adapter((value) => dataCallback(ns.toComponent(value)), ...rest);
    }
    update(config, context) {
      this.inner.update(ns.toPlatform(config), context);
    }
    connect() {
      this.inner.connect?.();
    }
    disconnect() {
      this.inner.disconnect?.();
    }
  }
  for (const key of ['configSchema', 'contextSchema']) {
    if (key in Adapter) NamespacedAdapter[key] = Adapter[key];
  }
  return NamespacedAdapter;
}

/** A call to the org: arguments go out in plain names, callbacks and the (awaited) result come back namespaced. */
function wrapCall(module, name) {
  return (...args) => {
    const outgoing = args.map((arg) =>
      typeof arg === 'function' ? (...values) => arg(...values.map(ns.toComponent)) : ns.toPlatform(arg)
    );
    const result = module[name](...outgoing);
    return result && typeof result.then === 'function' ? result.then(ns.toComponent) : ns.toComponent(result);
  };
}

/** A data module as a namespaced component sees it; `calls` are the exports that send data to the org. */
function namespacedModule(module, calls) {
  const wrapped = {};
  for (const [name, value] of Object.entries(module)) {
    if (isWireAdapter(value)) wrapped[name] = wrapAdapter(value);
    else if (calls.includes(name)) wrapped[name] = wrapCall(module, name);
    else wrapped[name] = value; // pure helpers (getFieldValue, gql) and pass-through calls
  }
  return wrapped;
}

module.exports = { ns, namespacedModule };
