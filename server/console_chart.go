// The SVG chart of the console's statistics (console_stats.go): one
// stacked bar a period for the shares of "Tout accepter", customised
// choices and "Tout refuser", and a bar a purpose for its acceptance over
// the whole period, laid out here and drawn by web/pages/stats.html.

package server

import (
	"fmt"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/receipts"
)

// answerChart is the SVG chart of the answers' shares, one stacked bar a
// period, and of each purpose's acceptance over the whole period.
type answerChart struct {
	Bars   []chartBar
	Ticks  []chartTick
	Rates  []rateBar
	Height int
}

type chartBar struct {
	X, W     float64
	Segments []chartSegment
	Label    string
	LabelX   float64
}

type chartSegment struct {
	Y, H  float64
	Class string
	Title string
}

type chartTick struct {
	Y     float64
	Label string
}

type rateBar struct {
	Y, W  float64
	Name  string
	Value string
}

const (
	chartLeft, chartRight, chartTop, chartBottom = 48.0, 712.0, 12.0, 212.0
	rateLeft, rateWidth, rateRow                 = 260.0, 360.0, 28.0
)

func newAnswerChart(t *consoleTexts, r receipts.Report, purposes []purposeColumn) answerChart {
	var c answerChart
	for i := 0; i <= 4; i++ {
		c.Ticks = append(c.Ticks, chartTick{Y: chartBottom - float64(i)*(chartBottom-chartTop)/4, Label: fmt.Sprintf("%d %%", 25*i)})
	}
	n := len(r.Periods)
	if n == 0 {
		return c
	}
	step := (chartRight - chartLeft) / float64(n)
	every := (n + 7) / 8
	layout := map[string]string{"fr": "02/01", "en": "2 Jan"}[t.Lang]
	for i, p := range r.Periods {
		bar := chartBar{X: chartLeft + float64(i)*step + step*0.1, W: step * 0.8}
		y := chartBottom
		for _, part := range []struct {
			answer consent.Answer
			class  string
			name   string
		}{{consent.AnswerAcceptAll, "accept", t.AcceptAll}, {consent.AnswerCustom, "custom", t.Custom}, {consent.AnswerRejectAll, "reject", t.RejectAll}} {
			h := p.Share(part.answer) * (chartBottom - chartTop)
			y -= h
			bar.Segments = append(bar.Segments, chartSegment{Y: y, H: h, Class: part.class,
				Title: fmt.Sprintf("%s, %s : %s (%d)", p.From.Format(layout), part.name, percent(p.Share(part.answer)), p.Answers[part.answer])})
		}
		if i%every == 0 {
			bar.Label, bar.LabelX = p.From.Format(layout), bar.X+bar.W/2
			// A bar of several days or weeks merged says so: its first
			// day alone would read as one day.
			if unit := map[receipts.Unit]int{receipts.Day: 1, receipts.Week: 7}[r.By]; p.Last().Sub(p.From) >= time.Duration(unit)*24*time.Hour {
				bar.Label += "–" + p.Last().Format(layout)
			}
		}
		c.Bars = append(c.Bars, bar)
	}
	for i, pu := range purposes {
		rate := r.Total.Rate(pu.Key)
		c.Rates = append(c.Rates, rateBar{Y: float64(i) * rateRow, W: rate * rateWidth, Name: pu.Name, Value: percent(rate)})
	}
	c.Height = int(float64(len(purposes))*rateRow) + 8
	return c
}
