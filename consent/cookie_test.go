package consent_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/opendata-consent/consent/consent"
)

// cookieCases is the table of testdata/cookies.json, shared with the
// browser test of the page's reading (e2e/cookies_test.go).
type cookieCases struct {
	Cases []struct {
		Name     string
		Portal   string
		JSON     *string
		Raw      *string
		AgeHours *float64
		Want     *struct {
			Categories     map[string]bool
			PlatformBanner bool
		}
	}
}

// cookieCaseValue is the cookie value of a case at now.
func cookieCaseValue(text string, encode bool, ageHours *float64, now time.Time) string {
	age := 1.0
	if ageHours != nil {
		age = *ageHours
	}
	at := now.Add(-time.Duration(age * float64(time.Hour)))
	refusal := `{"functional_cookies":false,"ga":false,"matomo":false,"xiti":false,"at":false,"piano":false,"eulerian":false,"timestamp":@T,"consent":{"version":1,"revision":1,"id":"@ID","choices":{"statistics":false}}}`
	r := strings.NewReplacer("@T", fmt.Sprint(at.UnixMilli()), "@S", fmt.Sprint(at.Unix()), "@ID", "k7f2qpa7d3mz4x6c")
	text = r.Replace(text)
	if encode {
		text = percentEncode(text, "%%%02X")
	}
	return strings.ReplaceAll(text, "@ENCODED_LOWER", percentEncode(r.Replace(refusal), "%%%02x"))
}

func TestCookieCasesSharedWithThePage(t *testing.T) {
	data, err := os.ReadFile("testdata/cookies.json")
	if err != nil {
		t.Fatal(err)
	}
	var table cookieCases
	if err := json.Unmarshal(data, &table); err != nil {
		t.Fatal(err)
	}
	mesure, err := consent.LoadFile("../e2e/testdata/mesure.json")
	if err != nil {
		t.Fatal(err)
	}
	portals := map[string]*consent.Portal{"pau": pau(t), "mesure": mesure}
	for _, c := range table.Cases {
		p := portals[c.Portal]
		var value string
		if c.JSON != nil {
			value = cookieCaseValue(*c.JSON, true, c.AgeHours, now)
		} else {
			value = cookieCaseValue(*c.Raw, false, c.AgeHours, now)
		}
		got, err := consent.Decode(value, p, now)
		switch {
		case c.Want == nil && err == nil:
			t.Errorf("%s: read as a choice %v, want the banner to ask", c.Name, got.Categories(p))
		case c.Want == nil && !errors.Is(err, consent.ErrNoChoice):
			t.Errorf("%s: unclear error %v", c.Name, err)
		case c.Want != nil && err != nil:
			t.Errorf("%s: %v", c.Name, err)
		case c.Want != nil:
			if !maps.Equal(got.Categories(p), c.Want.Categories) || got.OnPlatformBanner != c.Want.PlatformBanner {
				t.Errorf("%s: read %v (platform banner %v), want %v (%v)", c.Name, got.Categories(p), got.OnPlatformBanner, c.Want.Categories, c.Want.PlatformBanner)
			}
		}
	}
}

// percentEncode is JavaScript's encodeURIComponent, with the hexadecimal
// digits in the case format gives.
func percentEncode(s, format string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.!~*'()", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, format, c)
		}
	}
	return b.String()
}
