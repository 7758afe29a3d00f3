package server

import (
	"net/netip"
	"sync"
	"time"
)

// limiter is a token bucket per client: perSecond requests a second on
// average, burst at once. An IPv6 client is counted by its /64, the block
// one subscriber is given, so that rotating through its addresses gains
// nothing.
//
// Its memory is bounded: it keeps at most maxClients buckets, about 100
// bytes each. Buckets that refilled are forgotten (a new client starts
// full, as they are); when the table is full of clients still limited,
// every client it has no bucket for shares one, so that a flood from many
// addresses is limited as one client rather than growing the table.
type limiter struct {
	mu         sync.Mutex
	perSecond  float64
	burst      float64
	maxClients int
	buckets    map[string]*bucket
	calls      int
	// swept is when refilled buckets were last forgotten: a full table is
	// swept once a second at most, not at every new client.
	swept time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxClients is how many clients a limiter follows at once: 64k buckets,
// about 7 MB.
const maxClients = 1 << 16

// sharedBucket is the key of the bucket shared by the clients a full
// limiter has no bucket for: not an address.
const sharedBucket = "shared"

func newLimiter(perSecond float64, burst int) *limiter {
	return &limiter{perSecond: perSecond, burst: float64(burst), maxClients: maxClients, buckets: map[string]*bucket{}}
}

// clientKey is what a limiter counts for a client address: the address,
// or its /64 for IPv6.
func clientKey(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil || !a.Unmap().Is6() {
		return addr
	}
	p, _ := a.Prefix(64)
	return p.String()
}

// refund gives back the token allow took from addr's bucket: a try that
// turned out not to count (the right admin token).
func (l *limiter) refund(addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[clientKey(addr)]
	if !ok {
		b, ok = l.buckets[sharedBucket]
	}
	if ok {
		b.tokens = min(l.burst, b.tokens+1)
	}
}

// allow takes a token of addr's bucket, and tells whether there was one.
func (l *limiter) allow(addr string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	key := clientKey(addr)
	b, ok := l.buckets[key]
	if !ok {
		full := len(l.buckets) >= l.maxClients
		if l.calls++; l.calls%4096 == 0 || (full && now.Sub(l.swept) >= time.Second) {
			l.forgetRefilled(now)
		}
		if len(l.buckets) >= l.maxClients {
			key = sharedBucket
		}
		if b, ok = l.buckets[key]; !ok {
			b = &bucket{tokens: l.burst, last: now}
			l.buckets[key] = b
		}
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.perSecond)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// forgetRefilled forgets the clients whose bucket has refilled: they are
// back to where a new client starts.
func (l *limiter) forgetRefilled(now time.Time) {
	l.swept = now
	for k, b := range l.buckets {
		if now.Sub(b.last).Seconds()*l.perSecond >= l.burst {
			delete(l.buckets, k)
		}
	}
}
