// Stand-in for node-open311's git-only dependency (tests/npm/README.md): the XML format is not used.
module.exports = {
  parseXml() { throw new Error('sparkxml stand-in: use the open311 client with format "json" (tests/npm/README.md)'); },
};
