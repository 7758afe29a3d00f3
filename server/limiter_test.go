package server

import (
	"fmt"
	"testing"
	"time"
)

// A flood from ever new addresses does not grow a limiter past its bound:
// the clients it has no room for share one bucket, and so are limited
// together.
func TestALimiterStaysBoundedUnderAnAddressFlood(t *testing.T) {
	l := newLimiter(1, 2)
	l.maxClients = 100
	now := time.Now()
	refused := 0
	for i := range 10000 {
		if !l.allow(fmt.Sprintf("2001:db8:%x::1", i), now) {
			refused++
		}
	}
	if len(l.buckets) > 101 {
		t.Errorf("%d buckets kept, want 100 at most and the shared one", len(l.buckets))
	}
	if refused < 9000 {
		t.Errorf("%d of 10,000 requests from new addresses refused, want all but the room's and the shared bucket's", refused)
	}
	// Seconds later every bucket has refilled: a new client gets one
	// of its own again.
	if !l.allow("192.0.2.1", now.Add(3*time.Second)) || len(l.buckets) > 101 {
		t.Errorf("after the buckets refilled: %d kept", len(l.buckets))
	}
}
