package server

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
)

// clientAddress is the address the receipts' rate limit counts for r.
//
// Directly, that is the connection's peer. When the peer is a proxy the
// host trusts (a load balancer), it is the rightmost X-Forwarded-For entry
// that is not itself a trusted proxy: the address the outermost trusted
// proxy saw. Entries left of it were written by the client and prove
// nothing, so they are never used; an entry that is not an address stops
// the walk at the last proxy.
//
//	trusted 10.0.0.0/8, peer 10.0.0.5, X-Forwarded-For "6.6.6.6, 203.0.113.7"
//	→ 203.0.113.7
func clientAddress(r *http.Request, trusted []netip.Prefix) string {
	peer := peerAddress(r)
	addr, err := netip.ParseAddr(peer)
	if err != nil || !isTrusted(addr, trusted) {
		return peer
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for _, hop := range slices.Backward(hops) {
		next, err := netip.ParseAddr(strings.TrimSpace(hop))
		if err != nil {
			break
		}
		addr = next
		if !isTrusted(addr, trusted) {
			break
		}
	}
	return addr.Unmap().String()
}

// peerAddress is the address of r's connection's peer.
func peerAddress(r *http.Request) string {
	peer, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return peer
}

// fromTrustedProxy tells whether r's peer is one of the trusted proxies.
func fromTrustedProxy(r *http.Request, trusted []netip.Prefix) bool {
	addr, err := netip.ParseAddr(peerAddress(r))
	return err == nil && isTrusted(addr, trusted)
}

func isTrusted(addr netip.Addr, trusted []netip.Prefix) bool {
	addr = addr.Unmap()
	for _, p := range trusted {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// ParseTrustedProxies reads a comma-separated list of addresses and
// networks, as -trusted-proxies takes them: "10.0.0.0/8, 192.0.2.10".
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var prefixes []netip.Prefix
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if addr, err := netip.ParseAddr(item); err == nil {
			addr = addr.Unmap()
			prefixes = append(prefixes, netip.PrefixFrom(addr, addr.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(item)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an address nor a network such as 10.0.0.0/8", item)
		}
		prefixes = append(prefixes, p.Masked())
	}
	return prefixes, nil
}
