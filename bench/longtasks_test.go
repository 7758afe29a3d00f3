package main

import "testing"

func TestFormatLongTasksSaysWhatEachTaskWas(t *testing.T) {
	frames := []frame{
		// The page's own parse and layout: no script of over 5 ms.
		{Start: 200, Duration: 150, RenderStart: 300},
		// Two tasks in one frame: a timer of the loader's, then a
		// click's listener and the rendering it caused.
		{Start: 900, Duration: 400, RenderStart: 1200, Scripts: []frameScript{
			{Source: "embed.js?portal=pau", Invoker: "TimerHandler:setTimeout", Start: 901, Duration: 60},
			{Source: "embed.js?portal=pau", Invoker: "BUTTON.onclick", Start: 1100, Duration: 90},
		}},
	}
	// A frame that ends where the next begins: the task that starts there
	// is the next frame's.
	frames = append(frames,
		frame{Start: 2000, Duration: 160, RenderStart: 2100, Scripts: []frameScript{{Source: "cookieconsent.umd.js", Invoker: "evaluation", Start: 2001, Duration: 30}}},
		frame{Start: 2160, Duration: 70, Scripts: []frameScript{{Source: "cookieconsent.umd.js", Invoker: "TimerHandler:setTimeout", Start: 2161, Duration: 60}}})
	tasks := []longTask{
		{Start: 2160, Duration: 68},
		{Start: 1100, Duration: 200},
		{Start: 200, Duration: 90},
		{Start: 900, Duration: 70},
		// No frame holds it: the browser reported none.
		{Start: 5000, Duration: 80},
	}
	got := formatLongTasks(tasks, frames)
	want := "200: 90 (no script), " +
		"900: 70 (embed.js?portal=pau TimerHandler:setTimeout 60), " +
		"1100: 200 (embed.js?portal=pau BUTTON.onclick 90, rendering 100), " +
		"2160: 68 (cookieconsent.umd.js TimerHandler:setTimeout 60), " +
		"5000: 80"
	if got != want {
		t.Errorf("formatLongTasks:\n got %s\nwant %s", got, want)
	}
	if got := formatLongTasks(nil, frames); got != "none" {
		t.Errorf("no long task: got %q, want none", got)
	}
}
