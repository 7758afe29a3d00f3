package consent

// Answer is what a choice amounts to in the portal team's statistics: the
// banner's two buttons, or a choice made purpose by purpose.
type Answer string

const (
	// AnswerAcceptAll is a choice equal to "Tout accepter".
	AnswerAcceptAll Answer = "accept_all"
	// AnswerRejectAll is a choice equal to "Tout refuser" (exempt audience
	// measurement on, every other purpose refused).
	AnswerRejectAll Answer = "reject_all"
	// AnswerCustom is any other choice.
	AnswerCustom Answer = "custom"
)

// Answers lists the answers in the order the statistics show them.
var Answers = []Answer{AnswerAcceptAll, AnswerCustom, AnswerRejectAll}

// AnswerOf tells what accepted, a choice on p's purposes, amounts to. It
// judges by the result, not by the button: switching every purpose on in
// the dialog is accepting all.
func (p *Portal) AnswerOf(accepted map[string]bool) Answer {
	acceptAll, rejectAll := true, true
	for _, pu := range p.Purposes() {
		on := accepted[pu.Key]
		acceptAll = acceptAll && on
		rejectAll = rejectAll && on == (pu.Category.Exempt != nil)
	}
	switch {
	case acceptAll:
		return AnswerAcceptAll
	case rejectAll:
		return AnswerRejectAll
	}
	return AnswerCustom
}
