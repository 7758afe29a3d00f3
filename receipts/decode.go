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
// wrong types, trailing data, an unknown portal, another revision, choices
// that are not exactly the portal's purposes, a malformed consent id or a
// date in the future are errors wrapping ErrInvalid, with the reason.
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
			return bad("%s: expected %s, got a JSON %s", typeErr.Field, typeErr.Type, typeErr.Value)
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return bad("%s", strings.TrimPrefix(err.Error(), "json: "))
		default:
			return bad("not JSON: %v", err)
		}
	}
	if dec.More() {
		return bad("one JSON object only")
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
		return bad("choices: %q, want exactly the purposes %q", got, keys)
	}
	decided, err := time.Parse(time.RFC3339, req.DecidedAt)
	if err != nil {
		return bad("decidedAt: %.40q is not an RFC 3339 date", req.DecidedAt)
	}
	if decided.After(now.Add(time.Hour)) || decided.Before(now.AddDate(0, 0, -consent.MaxLifetimeDays)) {
		return bad("decidedAt: %s is not a date of a valid choice", decided.Format(time.RFC3339))
	}
	return Receipt{ConsentID: req.ConsentID, Portal: p.ID, Revision: req.Revision, Choices: req.Choices,
		DecidedAt: decided.UTC(), ReceivedAt: now.UTC().Truncate(time.Second)}, nil
}
