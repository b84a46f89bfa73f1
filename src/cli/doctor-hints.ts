/**
 * What to do about a failing layer, in plain words: the failing layer and its
 * raw cause (errno, HTTP status, CONNACK code, TLS error) pick the hint.
 */
export function hintFor(layer: string | undefined, detail: string): string {
  const has = (re: RegExp) => re.test(detail);
  const silent = has(/no answer|timed out|ETIMEDOUT|ETIMEOUT|ECANCELLED/);
  switch (layer) {
    case undefined:
      return "the path works: a device configured so gets online from here";
    case "link":
      return "the interface has no link: check the cable, or that it is up (ip link set IF up)";
    case "wifi":
      return "the WiFi interface is not associated with a network: check the SSID and key given to imp.setwificonfiguration";
    case "ip":
      return "the interface has no IPv4 address: is its DHCP server reachable, or a static address configured?";
    case "dns":
      if (has(/NXDOMAIN|NODATA/)) return "the DNS server says the name does not exist: check the host name in the URL";
      if (silent) return "no DNS server answered: check the name servers in /etc/resolv.conf and that they are reachable";
      return "the DNS server failed to answer the query: try again, or another name server";
    case "proxy":
      if (has(/HTTP 40[17]/)) return "the proxy rejected the credentials: check the user and password given to imp.setproxy";
      if (has(/HTTP 403/)) return "the proxy refused access to the server (its access list, not the password): ask its administrator to allow the server's port";
      if (has(/HTTP 4\d\d/)) return "the proxy refused the CONNECT request: check that it allows tunnels to the server's port";
      if (has(/ECONNREFUSED/)) return "nothing listens on the proxy's port: check the proxy address and port given to imp.setproxy";
      if (silent) return "the proxy did not answer in time: check that its address is reachable and not firewalled";
      return "the proxy could not be used: check the address and port given to imp.setproxy, and that it is an HTTP proxy";
    case "tcp":
      if (has(/proxy answered HTTP 5/)) return "the proxy could not reach the server: check the server's address and port, and the proxy's own network";
      if (has(/ECONNREFUSED/)) return "nothing listens on the server's port: check the port in the URL and that the broker is running";
      if (has(/EHOSTUNREACH|ENETUNREACH/)) return "there is no route to the server: check the network's routing and the server's address";
      if (silent) return "the server does not answer (a firewall dropping packets, or the host is down): check that its port is open to this network";
      return "the TCP connection to the server failed";
    case "tls":
      // Most specific first: Node's codes for a wrong name and an expired certificate both contain CERT.
      if (has(/ALTNAME|hostname|altnames/i)) return "the server's certificate is for another name: use the name it was issued for in the URL";
      if (has(/EXPIRED|NOT_YET_VALID/i)) return "the server's certificate is expired or not yet valid: renew it, or check this host's clock";
      if (has(/CERT|certificate|self.signed|UNABLE_TO_VERIFY|unable to verify/i)) return "the server's certificate is not trusted here: give its CA with --ca (imp devices trust the cloud's CA)";
      if (silent) return "the server accepted the connection but did not complete the TLS handshake: is this the TLS port?";
      return "the TLS handshake failed: check that the server speaks TLS on this port (mqtts://)";
    case "session":
      if (has(/CONNACK [45]\b/)) return "the server refused the device's credentials: check --id and IMPNET_DEVICE_SECRET (impnet device add prints a secret)";
      if (has(/CONNACK/)) return "the server refused the MQTT session: see the CONNACK code in the detail";
      if (silent) return "the server accepted the connection but never answered the MQTT CONNECT: is this an MQTT broker's port?";
      return "the server closed the connection before answering the MQTT CONNECT: is this an MQTT broker, and plain MQTT or TLS as the URL says?";
    case "modem":
      return "no modem: check that ModemManager sees it (mmcli -L)";
    case "sim":
      return "the modem's SIM is missing or locked: check it with mmcli -m any";
    case "registration":
      if (has(/denied/)) return "the cellular network denied the registration: check the SIM's plan with its operator";
      return "the modem is not registered on a cellular network: check coverage and the antenna (mmcli -m any)";
    case "ppp":
      return "the cellular data link is down: check the interface given as cell0 and the modem's bearer";
    case "internet":
      return "the cellular data link has no IPv4 address: check the modem's bearer (mmcli -m any)";
    default:
      return "the device would fail here: see the detail";
  }
}
