// The reporter sends at once while connected; its agent partner
// (Reporter.agent.nut) answers each reading with its count.
class ReporterTestCase extends ImpTestCase {
  _reporter = null;

  function setUp() {
    _reporter = Reporter();
  }

  function testSendsWhileConnected() {
    _reporter.report({ celsius = 21.5 });
    assertEqual(0, _reporter.pending());
    assertEqual(1, _reporter.sent());
  }

  function testTheAgentReceivesEveryReading() {
    return Promise(function(resolve, reject) {
      agent.on("count", function(n) {
        if (n == 3) resolve();
      });
      _reporter.report({ celsius = 1 });
      _reporter.report({ celsius = 2 });
    }.bindenv(this));
  }
}
