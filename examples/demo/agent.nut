// The sensor's agent: logs each reading in the cloud.
device.on("reading", function(data) { server.log("reading " + data.n); });
device.onconnect(function() { server.log("device online"); });
device.ondisconnect(function() { server.log("device offline"); });
