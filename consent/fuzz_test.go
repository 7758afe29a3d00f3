package consent_test

import (
	"errors"
	"net/url"
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
		good.Encode(p), "", "1", "%7B%7D", "%7B%22timestamp%22%3A1795341600%7D", "null", "[]",
		url.QueryEscape(`{"functional_cookies":false,"ga":false,"matomo":false,"xiti":false,"at":false,"piano":false,"eulerian":false,"timestamp":1795341600000}`),
		strings.Replace(good.Encode(p), "%22ga%22", "%22GA%22", 1), strings.Replace(good.Encode(p), "%7D%7D%7D", "%7D%7D", 1),
		"1.1.1795341600.k7f2qpa7d3mz4x6c.statistics=1", "%%%%", strings.Repeat("%7B", 4096),
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
		// Opendatasoft's banner wrote the value in its own form; this
		// consent manager's values are read in exactly the form it writes.
		if again := c.Encode(p); again != value && !c.OnPlatformBanner {
			t.Fatalf("Decode(%q) accepted a value that encodes back to %q", value, again)
		}
		if c.OnPlatformBanner && c.ID != "" {
			t.Fatalf("Decode(%q) gave a consent id to a choice of Opendatasoft's banner", value)
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
