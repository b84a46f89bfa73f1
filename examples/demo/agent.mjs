// The sensor's agent: logs each reading in the cloud.
export default function agent({ device, server }) {
  device.on("reading", (data) => server.log(`reading ${data.n}`));
  device.onconnect(() => server.log("device online"));
  device.ondisconnect(() => server.log("device offline"));
}
