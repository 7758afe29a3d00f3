//go:build js && wasm

package bridge

import "syscall/js"

// Yield gives the browser back its main thread until its next task: input,
// paint and the portal's own scripts run before Go goes on. Go's start is
// cut at each Yield into tasks short enough never to freeze the page (on a
// slow phone its steps take a few hundred milliseconds in all).
func Yield() {
	resumed := make(chan struct{})
	var resume js.Func
	resume = js.FuncOf(func(js.Value, []js.Value) any {
		resume.Release()
		close(resumed)
		return nil
	})
	js.Global().Call("setTimeout", resume)
	<-resumed
}
