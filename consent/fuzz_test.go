package consent_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/opendata-consent/consent/consent"
)

// FuzzDecode feeds the cookie decoder anything a browser could send: it
// never panics, every failure is a clear ErrNoChoice, and whatever it
// accepts encodes back to the same value.
func FuzzDecode(f *testing.F) {
	p := servicesPortal(f)
	good := consent.NewChoice(p, map[string]bool{"video/youtube": true}, now)
	for _, seed := range []string{
		good.Encode(p), "", "1", "1.1.1795341600.k7f2qpa9d3mz4x8c.", "2.1.1.a.b=1",
		"1.1.-5.k7f2qpa9d3mz4x8c.statistics=1", "1.1.1795341600.k7f2qpa9d3mz4x8c.statistics=1&statistics=0",
		"1.1.1795341600.%%%%.statistics=2", strings.Repeat("&", 4096), "necessary:true,statistics:false",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, value string) {
		c, err := consent.Decode(value, p, now)
		if err != nil {
			if !errors.Is(err, consent.ErrNoChoice) || !utf8.ValidString(err.Error()) || len(err.Error()) > 200 {
				t.Fatalf("Decode(%q): unclear error %q", value, err)
			}
			return
		}
		if again := c.Encode(p); again != value {
			t.Fatalf("Decode(%q) accepted a value that encodes back to %q", value, again)
		}
	})
}

// FuzzStoredChoice feeds whole Cookie headers (duplicates, other cookies,
// garbage) to the reader the host and the client share.
func FuzzStoredChoice(f *testing.F) {
	p := servicesPortal(f)
	good := consent.NewChoice(p, nil, now).Encode(p)
	for _, seed := range []string{
		"cookies_preferences=" + good, "a=b; cookies_preferences=x; cookies_preferences=" + good,
		"cookies_preferences", ";;;", "cookies_preferences=\"" + good + "\"", strings.Repeat("x=y; ", 400),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, header string) {
		if _, err := consent.StoredChoice(header, p, now); err != nil && !errors.Is(err, consent.ErrNoChoice) {
			t.Fatalf("StoredChoice(%q): %v", header, err)
		}
	})
}

// FuzzParse feeds the configuration loader arbitrary bytes: it never
// panics, and refuses what it cannot use with an error naming the file.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`{}`, `{"id": "pau"}`, `{"id": 1}`, `[`, `{"lifetime": {"consentDays": 400}}`, `{"categories": [{"services": [{}]}]}`,
		`{"consentMode": {"ad_storage": ["x"]}}`, `{"categories": [{"id": "a", "exempt": {}}]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := consent.Parse("fuzz.json", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.json") {
				t.Fatalf("error without the file's name: %v", err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("Parse accepted a configuration that does not validate: %v", err)
		}
	})
}
