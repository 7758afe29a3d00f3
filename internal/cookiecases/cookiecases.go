// Package cookiecases reads the table of cookie values that Go and the page
// must read alike (consent/testdata/cookies.json), for the tests of both:
// consent's natively, e2e's in Chromium before and after Go runs.
package cookiecases

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"
)

// Case is one cookie value and what it means.
type Case struct {
	Name   string
	Portal string
	// JSON is the decoded value, URL-encoded by Value; Raw is taken as is.
	JSON, Raw *string
	// AgeHours is how long before now the choice was made (1 when nil).
	AgeHours *float64
	// Want is nil where the banner must ask.
	Want *Want
}

// Want is what the page API publishes of the choice.
type Want struct {
	Categories     map[string]bool
	PlatformBanner bool
}

// Load reads the table at path.
func Load(path string) ([]Case, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var table struct{ Cases []Case }
	if err := json.Unmarshal(data, &table); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return table.Cases, nil
}

// ConsentID is the consent id the values use (@ID).
const ConsentID = "k7f2qpa7d3mz4x6c"

// Value is the cookie value of c at now, its placeholders filled: @T the
// time of the choice in milliseconds, @S in seconds, @ID ConsentID,
// @ENCODED_LOWER a refusal on Pau percent-encoded in lower case.
func (c Case) Value(now time.Time) string {
	age := 1.0
	if c.AgeHours != nil {
		age = *c.AgeHours
	}
	at := now.Add(-time.Duration(age * float64(time.Hour)))
	fill := strings.NewReplacer("@T", fmt.Sprint(at.UnixMilli()), "@S", fmt.Sprint(at.Unix()), "@ID", ConsentID).Replace
	refusal := fill(`{"functional_cookies":false,"ga":false,"matomo":false,"xiti":false,"at":false,"piano":false,"eulerian":false,"timestamp":@T,"consent":{"version":1,"revision":1,"id":"@ID","choices":{"statistics":false}}}`)
	var value string
	if c.JSON != nil {
		value = percentEncode(fill(*c.JSON), "%%%02X")
	} else {
		value = fill(*c.Raw)
	}
	return strings.ReplaceAll(value, "@ENCODED_LOWER", percentEncode(refusal, "%%%02x"))
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
