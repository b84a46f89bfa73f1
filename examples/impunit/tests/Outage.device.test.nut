// A fault on cue from inside the test: impnet.world.set (impnet's own
// extension, absent on a real imp) takes the server away and brings it back.
class OutageTestCase extends ImpTestCase {
  function testKeepsReadingsWhileOfflineAndSendsThemAfter() {
    local reporter = Reporter();
    return Promise(function(resolve, reject) {
      impnet.world.set("world.server.up", false);
      imp.wakeup(90, function() {
        assertTrue(!server.isconnected(), "offline 90 s into the outage");
        reporter.report({ celsius = 19 });
        reporter.report({ celsius = 20 });
        assertEqual(2, reporter.pending());
        impnet.world.set("world.server.up", true);
        imp.wakeup(120, function() {
          assertTrue(server.isconnected(), "back online");
          assertEqual(0, reporter.pending());
          assertEqual(2, reporter.sent());
          resolve();
        }.bindenv(this));
      }.bindenv(this));
    }.bindenv(this));
  }
}
