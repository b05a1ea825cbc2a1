/** The namespace prefix the namespaced LWC Jest run and the namespaced preview give the package. */
module.exports = { TEST_NAMESPACE: 'pcsell' };
