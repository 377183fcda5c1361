// Stand-in for node-open311's native dependency (tests/npm/README.md): the XML format is not used.
module.exports = {
  toJson() { throw new Error('xml2json stand-in: use the open311 client with format "json" (tests/npm/README.md)'); },
};
