package receipts

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/opendata-consent/consent/consent"
)

// Decode reads one receipt posted by a client (a consent.ReceiptRequest),
// strictly (a body that cannot be read is returned as is): unknown fields,
// keys spelt otherwise than the fields ("ConsentID"), a key given twice,
// wrong types, trailing data, an unknown portal, another revision, choices
// that are not exactly the portal's purposes, a malformed consent id or a
// date no stored choice can have (checkDecidedAt) are errors wrapping
// ErrInvalid, with the reason. The reason quotes at most a few dozen bytes
// of the body.
func Decode(body io.Reader, portal func(id string) (*consent.Portal, bool), now time.Time) (Receipt, error) {
	bad := func(format string, args ...any) (Receipt, error) {
		return Receipt{}, fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
	}
	data, err := io.ReadAll(body)
	if err != nil {
		return Receipt{}, fmt.Errorf("reading the receipt: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var req consent.ReceiptRequest
	if err := dec.Decode(&req); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typeErr):
			return bad("%.40s: expected %s, got a JSON %.40s", typeErr.Field, typeErr.Type, typeErr.Value)
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return bad("%.60s", strings.TrimPrefix(err.Error(), "json: "))
		default:
			return bad("not JSON: %.80v", err)
		}
	}
	if dec.More() {
		return bad("one JSON object only")
	}
	if err := checkKeys(json.NewDecoder(bytes.NewReader(data)), ""); err != nil {
		return bad("%v", err)
	}
	p, ok := portal(req.Portal)
	if !ok {
		return bad("portal: unknown portal %.40q", req.Portal)
	}
	if req.Revision != p.Revision {
		return bad("revision: %d, the configuration is at revision %d", req.Revision, p.Revision)
	}
	if !consent.ValidConsentID(req.ConsentID) {
		return bad("consentId: %.40q is not a consent id", req.ConsentID)
	}
	var keys []string
	for _, pu := range p.Purposes() {
		keys = append(keys, pu.Key)
	}
	if got := slices.Sorted(maps.Keys(req.Choices)); !slices.Equal(got, slices.Sorted(slices.Values(keys))) {
		if len(got) > 3*len(keys)+8 {
			return bad("choices: %d entries, the portal has %d purposes", len(got), len(keys))
		}
		for i, k := range got {
			got[i] = fmt.Sprintf("%.40q", k)
		}
		return bad("choices: [%s], want exactly the purposes %q", strings.Join(got, " "), keys)
	}
	decided, err := time.Parse(time.RFC3339, req.DecidedAt)
	if err != nil {
		return bad("decidedAt: %.40q is not an RFC 3339 date", req.DecidedAt)
	}
	if err := checkDecidedAt(decided, p, req.Choices, now); err != nil {
		return bad("decidedAt: %s %v", decided.Format(time.RFC3339), err)
	}
	return Receipt{ConsentID: req.ConsentID, Portal: p.ID, Revision: req.Revision, Choices: req.Choices, Answer: p.AnswerOf(req.Choices),
		DecidedAt: decided.UTC(), ReceivedAt: now.UTC().Truncate(time.Second)}, nil
}

// checkDecidedAt refuses a date no stored choice can have now: ahead of
// the host's clock by more than consent.ClockSkew (as far as the cookie
// itself may be: a receipt refused for its date is lost, its choice is
// not), older than the choice's lifetime on p (a receipt the page kept and
// sends again is at most that old: the choice itself is gone after it),
// or before the day p's revision took effect began anywhere on Earth.
func checkDecidedAt(decided time.Time, p *consent.Portal, choices map[string]bool, now time.Time) error {
	if decided.After(now.Add(consent.ClockSkew)) {
		return fmt.Errorf("is ahead of the host's clock (%s) by more than %v", now.UTC().Format(time.RFC3339), consent.ClockSkew)
	}
	lifetime := p.LifetimeOf(consent.Choice{Accepted: choices})
	if decided.Before(now.Add(-lifetime)) {
		return fmt.Errorf("is older than such a choice is kept on this portal (%d days)", int(lifetime.Hours()/24))
	}
	if start, ok := p.RevisionStart(); ok && decided.Before(start.Add(-earliestZone-consent.ClockSkew)) {
		return fmt.Errorf("is before revision %d took effect (%s)", p.Revision, p.RevisedAt)
	}
	return nil
}

// earliestZone is how far ahead of UTC a day begins somewhere on Earth
// (UTC+14, Kiribati): a revision that takes effect on a day takes effect
// at its first hour there.
const earliestZone = 14 * time.Hour

// receiptKeys are the keys of a receipt, spelt as consent.ReceiptRequest's
// fields are.
var receiptKeys = map[string]bool{"consentId": true, "portal": true, "revision": true, "choices": true, "decidedAt": true}

// checkKeys reads the JSON value dec holds, valid JSON, for what
// encoding/json lets through: a key given twice in an object (it keeps the
// last), and, at the top (path ""), a key that is not a receipt's spelt
// exactly (it takes "ConsentID" for "consentId").
func checkKeys(dec *json.Decoder, path string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		seen := map[string]bool{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return err
			}
			key := tok.(string) // an object's keys are strings
			switch {
			case seen[key]:
				return fmt.Errorf("%sduplicate key %.40q", path, key)
			case path == "" && !receiptKeys[key]:
				return fmt.Errorf("unknown field %.40q", key)
			}
			seen[key] = true
			if err := checkKeys(dec, path+key+": "); err != nil {
				return err
			}
		}
	case json.Delim('['):
		for dec.More() {
			if err := checkKeys(dec, path); err != nil {
				return err
			}
		}
	default:
		return nil
	}
	_, err = dec.Token() // the closing bracket
	return err
}
