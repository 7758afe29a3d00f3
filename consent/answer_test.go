package consent_test

import (
	"slices"
	"testing"
	"time"

	"github.com/opendata-consent/consent/consent"
)

// answerPortal is Pau with exempt audience measurement and videos consented
// to service by service: "Tout refuser" leaves a purpose on.
func answerPortal(t *testing.T) *consent.Portal {
	t.Helper()
	p := *pau(t)
	audience := p.Categories[1]
	audience.ID, audience.Exempt = "audience", &consent.Exemption{OwnAudienceOnly: true}
	video := p.Categories[1]
	video.ID, video.Services = "video", []consent.Service{{ID: "youtube"}, {ID: "vimeo"}}
	p.Categories = append(slices.Clone(p.Categories), audience, video)
	return &p
}

func TestAnswerOfTellsTheButtonsFromACustomChoice(t *testing.T) {
	p, now := answerPortal(t), time.Now()
	if got := p.AnswerOf(consent.AcceptAll(p, now).Accepted); got != consent.AnswerAcceptAll {
		t.Errorf("Tout accepter: %s", got)
	}
	if got := p.AnswerOf(consent.RejectAll(p, now).Accepted); got != consent.AnswerRejectAll {
		t.Errorf("Tout refuser: %s", got)
	}
	for _, key := range []string{"statistics", "audience", "video/vimeo"} {
		custom := consent.RejectAll(p, now).Accepted
		custom[key] = !custom[key]
		if got := p.AnswerOf(custom); got != consent.AnswerCustom {
			t.Errorf("Tout refuser, then %s switched: %s", key, got)
		}
	}
}
