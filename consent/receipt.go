package consent

import "time"

// ReceiptRequest is what the client posts to the host's receipt endpoint
// once it has written a choice: the proof of consent, without anything that
// identifies the visitor beyond the random consent id.
type ReceiptRequest struct {
	ConsentID string          `json:"consentId"`
	Portal    string          `json:"portal"`
	Revision  int             `json:"revision"`
	Choices   map[string]bool `json:"choices"`
	DecidedAt string          `json:"decidedAt"`
}

// NewReceiptRequest returns the receipt of choice c on p.
func NewReceiptRequest(p *Portal, c Choice) ReceiptRequest {
	return ReceiptRequest{ConsentID: c.ID, Portal: p.ID, Revision: c.Revision, Choices: c.Accepted, DecidedAt: c.DecidedAt.UTC().Format(time.RFC3339)}
}
