package receipts_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/receipts"
)

// videoPortal is Pau with videos consented to service by service.
func videoPortal(t *testing.T) *consent.Portal {
	p := *pau(t)
	video := p.Categories[1]
	video.ID, video.Services = "video", []consent.Service{{ID: "youtube"}, {ID: "vimeo"}}
	p.Categories = append(slices.Clone(p.Categories), video)
	return &p
}

func keys(p *consent.Portal) []string {
	var list []string
	for _, pu := range p.Purposes() {
		list = append(list, pu.Key)
	}
	return list
}

// seed records n choices of each kind on the Paris day and hour given.
func seed(t *testing.T, s *receipts.Store, p *consent.Portal, at time.Time, accept, reject, statsOnly int) {
	t.Helper()
	record := func(accepted map[string]bool) {
		c := consent.NewChoice(p, accepted, at)
		r := receipts.Receipt{ConsentID: c.ID, Portal: p.ID, Revision: c.Revision, Choices: c.Accepted, Answer: p.AnswerOf(c.Accepted), DecidedAt: c.DecidedAt, ReceivedAt: c.DecidedAt}
		if err := s.Record(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	for range accept {
		record(consent.AcceptAll(p, at).Accepted)
	}
	for range reject {
		record(nil)
	}
	for range statsOnly {
		record(map[string]bool{"statistics": true})
	}
}

func TestStatsCountEachDayAndMergeTheSmallOnes(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	p := videoPortal(t)
	other := *p
	other.ID = "aveyron"
	day := func(d, hour int) time.Time { return time.Date(2026, 11, d, hour, 30, 0, 0, paris) }
	for kind, db := range stores(t) {
		t.Run(kind, func(t *testing.T) {
			s := db.open()
			seed(t, s, p, day(1, 23), 9, 9, 9) // the day before the period
			seed(t, s, p, day(2, 0), 3, 1, 0)  // just after midnight in Paris: 23:30 UTC the day before
			seed(t, s, p, day(2, 23), 0, 1, 1) // 22:30 UTC, still 2 November in Paris
			seed(t, s, p, day(3, 12), 1, 1, 0)
			seed(t, s, p, day(4, 12), 2, 1, 1)
			seed(t, s, p, day(7, 12), 1, 2, 2)
			seed(t, s, p, day(8, 12), 0, 0, 1)
			seed(t, s, &other, day(4, 12), 9, 9, 9) // another portal
			seed(t, s, p, day(9, 0), 9, 9, 9)       // the day after the period

			q := receipts.StatsQuery{Portal: p.ID, Keys: keys(p), Since: time.Date(2026, 11, 2, 0, 0, 0, 0, paris), Until: time.Date(2026, 11, 9, 0, 0, 0, 0, paris), By: receipts.Day, Location: paris}
			r, err := s.Stats(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			type row struct {
				from, last                        string
				choices, all, none, custom, stats int
			}
			var got []row
			for _, p := range r.Periods {
				got = append(got, row{p.From.Format("01-02"), p.Last().Format("01-02"), p.Choices,
					p.Answers[consent.AnswerAcceptAll], p.Answers[consent.AnswerRejectAll], p.Answers[consent.AnswerCustom], p.Accepted["statistics"]})
			}
			want := []row{
				{"11-02", "11-02", 6, 3, 2, 1, 4},
				// 3 November's 2 choices are shown with 4 November's.
				{"11-03", "11-04", 6, 3, 2, 1, 4},
				// Two days without a choice, then 5; the last day's one
				// choice joins them.
				{"11-05", "11-08", 6, 1, 2, 3, 4},
			}
			if !slices.Equal(got, want) {
				t.Errorf("by day:\n got %v\nwant %v", got, want)
			}
			if r.Total.Choices != 18 || r.Total.Asked["video/youtube"] != 18 || r.Total.Accepted["video/youtube"] != 7 {
				t.Errorf("total: %d choices, YouTube accepted %d of %d; want 18, 7 of 18", r.Total.Choices, r.Total.Accepted["video/youtube"], r.Total.Asked["video/youtube"])
			}

			q.By = receipts.Week
			r, err = s.Stats(context.Background(), q)
			if err != nil || len(r.Periods) != 1 || r.Periods[0].Choices != 18 || r.Periods[0].Last().Day() != 8 {
				t.Errorf("by week: %+v, %v; want one week of 18 choices", r.Periods, err)
			}

			var csv bytes.Buffer
			if err := receipts.WriteCSV(&csv, r); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
			wantCSV := []string{
				"from,to,choices,accept_all,accept_all_percent,custom,custom_percent,reject_all,reject_all_percent,statistics_accepted,statistics_asked,statistics_percent,video/youtube_accepted,video/youtube_asked,video/youtube_percent,video/vimeo_accepted,video/vimeo_asked,video/vimeo_percent",
				"2026-11-02,2026-11-08,18,7,38.9,5,27.8,6,33.3,12,18,66.7,7,18,38.9,7,18,38.9",
			}
			if !slices.Equal(lines, wantCSV) {
				t.Errorf("CSV:\n%s\nwant\n%s", csv.String(), strings.Join(wantCSV, "\n"))
			}

			// Fewer than five choices in the whole period: nothing shown.
			q.Since, q.Until = time.Date(2026, 11, 8, 0, 0, 0, 0, paris), time.Date(2026, 11, 9, 0, 0, 0, 0, paris)
			if r, err := s.Stats(context.Background(), q); err != nil || len(r.Periods) != 0 || r.Total.Choices != 0 {
				t.Errorf("one choice in the period: %+v, %v; want nothing shown", r, err)
			}
		})
	}
}

// A store kept before receipts had an answer gets one from its choices,
// and its receipts are counted for the statistics.
func TestOlderReceiptsGetAnAnswer(t *testing.T) {
	for kind, db := range stores(t) {
		t.Run(kind, func(t *testing.T) {
			db.exec(t,
				`CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY)`,
				`CREATE TABLE receipts (consent_id TEXT NOT NULL PRIMARY KEY, portal TEXT NOT NULL, revision INTEGER NOT NULL, choices TEXT NOT NULL, decided_at BIGINT NOT NULL, received_at BIGINT NOT NULL)`,
				`CREATE INDEX receipts_decided_at ON receipts (decided_at)`,
				`INSERT INTO schema_migrations (version) VALUES (1), (2)`,
				`INSERT INTO receipts VALUES ('a', 'pau', 1, '{"statistics":true,"video":true}', 100, 100), ('b', 'pau', 1, '{"statistics":false,"video":false}', 100, 100), ('c', 'pau', 1, '{"statistics":true,"video":false}', 100, 100),
					('d', 'pau', 1, '{"statistics":true,"video":true}', 1000, 1000), ('e', 'pau', 1, '{"statistics":true,"video":true}', 7200, 7200)`)
			s := db.open()
			got, err := s.Between(context.Background(), time.Unix(0, 0), time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			var answers []consent.Answer
			for _, r := range got {
				answers = append(answers, r.Answer)
			}
			if want := []consent.Answer{consent.AnswerAcceptAll, consent.AnswerRejectAll, consent.AnswerCustom, consent.AnswerAcceptAll, consent.AnswerAcceptAll}; !slices.Equal(answers, want) {
				t.Errorf("answers %v, want %v", answers, want)
			}
			q := receipts.StatsQuery{Portal: "pau", Keys: []string{"statistics", "video"}, Since: time.Unix(0, 0), Until: time.Unix(86400, 0), By: receipts.Day, Location: time.UTC}
			r, err := s.Stats(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			if r.Total.Choices != 5 || r.Total.Answers[consent.AnswerAcceptAll] != 3 || r.Total.Accepted["statistics"] != 4 || r.Total.Asked["video"] != 5 {
				t.Errorf("the statistics of the older receipts: %+v", r.Total)
			}

			// Receipts written by other means than Record (an import) are
			// counted once the counts are made again.
			db.exec(t, `INSERT INTO receipts (consent_id, portal, revision, choices, decided_at, received_at, answer) VALUES ('f', 'pau', 1, '{"statistics":false,"video":false}', 200, 200, 'reject_all')`)
			if r, _ := s.Stats(context.Background(), q); r.Total.Choices != 5 {
				t.Errorf("before Recount, %d choices counted", r.Total.Choices)
			}
			if err := s.Recount(context.Background()); err != nil {
				t.Fatal(err)
			}
			if r, _ := s.Stats(context.Background(), q); r.Total.Choices != 6 || r.Total.Answers[consent.AnswerRejectAll] != 2 {
				t.Errorf("after Recount: %+v", r.Total)
			}
		})
	}
}
