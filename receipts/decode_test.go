package receipts_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/receipts"
)

// Keys are read as they are written: spelt otherwise than a receipt's
// fields, or given twice, the receipt is refused rather than read as
// encoding/json would (any case, the last of two).
func TestDecodeKeysAreExactAndUnique(t *testing.T) {
	p := pau(t)
	now := time.Now()
	lookup := func(id string) (*consent.Portal, bool) { return p, id == p.ID }
	c := consent.NewChoice(p, map[string]bool{"statistics": true}, now)
	valid, _ := json.Marshal(consent.NewReceiptRequest(p, c))
	if _, err := receipts.Decode(strings.NewReader(string(valid)), lookup, now); err != nil {
		t.Fatalf("a valid receipt: %v", err)
	}
	body := func(old, new string) string { return strings.Replace(string(valid), old, new, 1) }
	for name, c := range map[string]struct{ body, reason string }{
		"ConsentID":             {body(`"consentId"`, `"ConsentID"`), `unknown field "ConsentID"`},
		"PORTAL":                {body(`"portal"`, `"PORTAL"`), `unknown field "PORTAL"`},
		"decidedat":             {body(`"decidedAt"`, `"decidedat"`), `unknown field "decidedat"`},
		"choices twice":         {body(`"choices"`, `"choices":{"statistics":false},"choices"`), `duplicate key "choices"`},
		"consentId twice":       {body(`{`, `{"consentId":"aaaaaaaaaaaaaaaa",`), `duplicate key "consentId"`},
		"a choice twice":        {body(`"statistics":true`, `"statistics":false,"statistics":true`), `choices: duplicate key "statistics"`},
		"spelt twice, two ways": {body(`{`, `{"ConsentId":"aaaaaaaaaaaaaaaa",`), `unknown field "ConsentId"`},
	} {
		_, err := receipts.Decode(strings.NewReader(c.body), lookup, now)
		if !errors.Is(err, receipts.ErrInvalid) || !strings.Contains(err.Error(), c.reason) {
			t.Errorf("%s: %v, want %q", name, err, c.reason)
		}
	}
}

// The reason for refusing a receipt quotes a few dozen bytes of it at most,
// however long the key or the value it is about.
func TestDecodeQuotesLittleOfTheBody(t *testing.T) {
	p := pau(t)
	now := time.Now()
	lookup := func(id string) (*consent.Portal, bool) { return p, id == p.ID }
	long := strings.Repeat("x", 3000)
	digits := strings.Repeat("9", 3000)
	for name, body := range map[string]string{
		"unknown field":       `{"` + long + `":1}`,
		"unknown field, case": `{"` + strings.ToUpper(long) + `":1}`,
		"duplicate key":       `{"choices":{"` + long + `":true,"` + long + `":true}}`,
		"long number":         `{"revision":` + digits + `}`,
		"wrong type":          `{"choices":{"` + long + `":"yes"}}`,
		"portal":              `{"portal":"` + long + `"}`,
		"choices":             `{"portal":"pau","revision":1,"consentId":"aaaaaaaaaaaaaaaa","choices":{"` + long + `":true}}`,
		"not JSON":            long,
	} {
		_, err := receipts.Decode(strings.NewReader(body), lookup, now)
		if err == nil || len(err.Error()) > 200 {
			t.Errorf("%s: %d bytes of error: %.300v", name, len(err.Error()), err)
		}
	}
}
