// A fault from the scenario (outage.yaml): the server is away from 1m to 3m.
// Readings taken at 2m are kept, and sent once the device is back.
class ScenarioOutageTestCase extends ImpTestCase {
  function testReadingsDuringTheScenarioOutage() {
    local reporter = Reporter();
    return Promise(function(resolve, reject) {
      imp.wakeup(120 - time(), function() {
        assertTrue(!server.isconnected(), "offline at 2m");
        reporter.report({ celsius = 18 });
        assertEqual(1, reporter.pending());
        imp.wakeup(120, function() {
          assertEqual(0, reporter.pending());
          assertEqual(1, reporter.sent());
          resolve();
        }.bindenv(this));
      }.bindenv(this));
    }.bindenv(this));
  }
}
