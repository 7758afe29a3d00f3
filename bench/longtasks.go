package main

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// longTask is one main-thread task over 50 ms, in ms since navigation.
type longTask struct {
	Start    float64 `json:"start"`
	Duration float64 `json:"duration"`
}

// frame is one long animation frame (over 50 ms, tasks and rendering), as
// the page observed it: its scripts over 5 ms and when its rendering began
// (0: it rendered nothing).
type frame struct {
	Start       float64       `json:"start"`
	Duration    float64       `json:"duration"`
	RenderStart float64       `json:"renderStart"`
	Scripts     []frameScript `json:"scripts"`
}

// frameScript is one script's run within a frame: its file ("the page"
// for the page's own), how it was called (a timer, an event listener, a
// frame callback, "evaluation" for the script's first run; addresses
// without their origin, which changes from run to run), in ms; "no file"
// for a script the page was given without one.
type frameScript struct {
	Source   string  `json:"source"`
	Invoker  string  `json:"invoker"`
	Start    float64 `json:"start"`
	Duration float64 `json:"duration"`
}

// formatLongTasks writes tasks as the issue does, "618: 62, 6641: 234",
// each followed by what the frames say it was:
// "6641: 234 (loader-pau.js TimerHandler:setTimeout 180, rendering 50)".
func formatLongTasks(tasks []longTask, frames []frame) string {
	if len(tasks) == 0 {
		return "none"
	}
	tasks = slices.Clone(tasks)
	slices.SortFunc(tasks, func(a, b longTask) int { return cmp.Compare(a.Start, b.Start) })
	var parts []string
	for _, t := range tasks {
		part := fmt.Sprintf("%.0f: %.0f", t.Start, t.Duration)
		if what := t.cause(frames); len(what) > 0 {
			part += " (" + strings.Join(what, ", ") + ")"
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, ", ")
}

// cause names what ran in the task: the scripts that started within it and
// the rendering, from the frame that holds it. A task whose frame shows
// neither was the browser's own work (a parse, a layout the page's own
// markup asked for), said as "no script"; a task no frame holds (a page
// whose browser does not report frames) gets nothing.
func (t longTask) cause(frames []frame) []string {
	// The browser rounds each entry's times on its own: a millisecond's
	// leeway.
	const leeway = 1
	end := t.Start + t.Duration
	for _, f := range frames {
		// A task that starts where a frame ends is the next frame's.
		if t.Start < f.Start-leeway || t.Start >= f.Start+f.Duration-leeway {
			continue
		}
		var what []string
		for _, s := range f.Scripts {
			if s.Start >= t.Start-leeway && s.Start < end {
				what = append(what, fmt.Sprintf("%s %s %.0f", s.Source, s.Invoker, s.Duration))
			}
		}
		if f.RenderStart > 0 && f.RenderStart >= t.Start-leeway && f.RenderStart < end {
			what = append(what, fmt.Sprintf("rendering %.0f", min(end, f.Start+f.Duration)-f.RenderStart))
		}
		if len(what) == 0 {
			what = []string{"no script"}
		}
		return what
	}
	return nil
}
