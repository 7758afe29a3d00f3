package console

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/opendata-consent/consent/consent"
)

// Boot is what the host's console page tells the configurator
// (server/console.go writes it in the page).
type Boot struct {
	Lang string `json:"lang"`
	// Configs are the host's configurations: portal id and address, in
	// the host's order.
	Configs []HostConfig `json:"configs"`
	CSS     Stylesheets  `json:"css"`
}

// HostConfig is one configuration the host serves.
type HostConfig struct {
	ID  string `json:"id"`
	URL string `json:"url"`
	// Identity is what names the portal (consent.Portal.Identity).
	Identity []string `json:"identity"`
}

// Configurator is the console's configurator: it opens a configuration,
// edits it as a form, shows the validator's error next to its field and
// previews what visitors will see.
type Configurator struct {
	app.Compo

	Boot Boot
	// Fetch returns the body of a host's configuration; Read the text of
	// a file the team chose or dropped (a js File). The browser's are in
	// cmd/consent-console; nil, nothing is fetched or read.
	Fetch func(url string) (string, error)
	Read  func(file app.Value) (string, error)
	// Save offers data for download under name.
	Save func(name string, data []byte)

	portal *consent.Portal
	// original is the configuration as opened: a change of what visitors
	// consent to proposes a new revision. Nil for a new configuration,
	// which no visitor was asked about yet.
	original *consent.Portal
	// shown is the last valid version, which the preview shows while the
	// form holds an error: typing a new id does not blank the preview.
	shown *consent.Portal
	// saved is the file as last opened or downloaded: leaving the page
	// with other edits asks first.
	saved   []byte
	unsaved bool
	source  string
	// errs are the validator's errors, in the file's order; err is the
	// first, the one the host would refuse to start with.
	errs  []*consent.ConfigError
	err   *consent.ConfigError
	errAt map[string]string
	// touched are the fields the team typed in: a field shows its error
	// once touched, every field once a download was tried (showAll) or
	// when the configuration was opened rather than made (its errors are
	// a file's, written before), the summary at once.
	touched map[string]bool
	showAll bool
	// named are a new configuration's texts that name the portal, by
	// path, as the template writes them (Template): typing the portal's
	// name writes it there, in each text the team has not rewritten.
	named map[string]string
	// ready is false until the WebAssembly runs: the page the host
	// pre-renders shows the controls disabled, and says it is loading.
	ready bool
	// openErr says why the last configuration could not be opened.
	openErr  string
	chosen   string
	loading  bool
	dragging bool

	previewLang, view, theme string
}

// OnInit opens the host's first configuration's place: nothing is open
// until the team picks one.
func (c *Configurator) OnInit() {
	c.view, c.theme = ViewBanner, "light"
	if len(c.Boot.Configs) > 0 {
		c.chosen = c.Boot.Configs[0].ID
	}
}

// OnMount gives the page's links back to the browser: go-app routes every
// link click itself, and the configurator is one page, whose links (the
// statistics, the other language) load other pages.
//
// Leaving the page (a link, closing the tab) with edits not downloaded
// asks first: the configurator writes nothing anywhere else.
func (c *Configurator) OnMount(ctx app.Context) {
	c.ready = true
	ctx.Update()
	app.Window().Set("onclick", nil)
	app.Window().Set("onbeforeunload", app.FuncOf(func(this app.Value, args []app.Value) any {
		if c.unsaved {
			args[0].Call("preventDefault")
			args[0].Set("returnValue", "")
		}
		return nil
	}))
}

func (c *Configurator) t() *Texts { return Language(c.Boot.Lang) }

// Load opens data, a configuration's JSON, named source.
func (c *Configurator) Load(source string, data []byte) {
	p, err := consent.DecodePortal(source, data)
	if err != nil {
		c.openErr = err.Error()
		return
	}
	c.openErr = ""
	c.setPortal(source, p)
}

// New opens a new configuration, made from Template: its texts name no
// other portal, and its necessary category lists the consent cookie. Its
// errors (the id, the names, the address to fill in) show at each field
// once it is touched.
func (c *Configurator) New() {
	p, named := Template()
	c.setPortal(c.t().New, p)
	c.original, c.named, c.showAll = nil, named, false
	c.check()
}

func (c *Configurator) setPortal(source string, p *consent.Portal) {
	c.source, c.portal, c.original, c.shown = source, p, Clone(p), nil
	c.named, c.touched, c.showAll = nil, map[string]bool{}, true
	c.saved, c.unsaved = Download(p), false
	if c.previewLang == "" || !slices.Contains(p.Languages, c.previewLang) {
		c.previewLang = ""
		if len(p.Languages) > 0 {
			c.previewLang = p.Languages[0]
		}
	}
	c.check()
}

func (c *Configurator) check() {
	checked, errs := Check(c.portal)
	errs = append(errs, c.portal.NamingOthers(c.others())...)
	c.showErrors(errs)
	if c.err == nil {
		c.shown = checked
	}
	c.unsaved = !bytes.Equal(Download(c.portal), c.saved)
}

// Render draws the page: the header, the opening tools, the form beside
// its preview.
func (c *Configurator) Render() app.UI {
	t := c.t()
	return app.Div().ID("console").Body(
		app.Header().Class("console-header").Body(
			app.Span().Class("console-brand").Text(t.Console),
			app.Nav().Aria("label", t.Console).Body(
				app.A().Href("./?lang="+c.Boot.Lang).Aria("current", "page").Text(t.Configurator),
				app.A().Href("stats?lang="+c.Boot.Lang).Text(t.Stats),
				app.A().Href("?lang="+other(c.Boot.Lang)).Lang(other(c.Boot.Lang)).Attr("hreflang", other(c.Boot.Lang)).Text(map[string]string{"fr": "English", "en": "Français"}[c.Boot.Lang]),
			),
		),
		app.Main().Class("console-main").Body(
			app.H1().Text(t.Title),
			app.P().Text(t.Intro),
			c.opener(),
			app.If(c.portal != nil, func() app.UI {
				return app.Div().Body(
					c.status(),
					app.Div().Class("configurator").Body(
						app.Form().Class("editor").ID("editor").Aria("label", t.Configurator).
							On("submit", func(ctx app.Context, e app.Event) { e.PreventDefault() }).
							Body(c.fields(reflect.ValueOf(c.portal).Elem(), "")...),
						c.preview(),
					),
				)
			}),
		),
	)
}

func other(lang string) string {
	if lang == "en" {
		return "fr"
	}
	return "en"
}

// opener offers the host's configurations, a file, or a new one.
func (c *Configurator) opener() app.UI {
	t := c.t()
	return app.Div().Class("toolbar").Body(
		app.Label().Body(
			app.Text(t.OpenHost),
			app.Select().ID("open-host").Disabled(!c.ready).OnChange(func(ctx app.Context, e app.Event) { c.chosen = ctx.JSSrc().Get("value").String() }).Body(
				app.Range(c.Boot.Configs).Slice(func(i int) app.UI {
					id := c.Boot.Configs[i].ID
					return app.Option().Value(id).Selected(id == c.chosen).Text(id)
				}),
			),
		),
		app.Button().Type("button").ID("open-host-button").Text(t.Open).Disabled(c.loading || !c.ready).OnClick(func(ctx app.Context, e app.Event) { c.openHost(ctx) }),
		app.Div().Class("drop"+map[bool]string{true: " over"}[c.dragging]).
			On("dragover", func(ctx app.Context, e app.Event) { e.PreventDefault(); c.dragging = true }).
			On("dragleave", func(ctx app.Context, e app.Event) { c.dragging = false }).
			On("drop", func(ctx app.Context, e app.Event) {
				e.PreventDefault()
				c.dragging = false
				if files := e.Get("dataTransfer").Get("files"); files.Length() > 0 {
					c.openFile(ctx, files.Index(0))
				}
			}).
			Body(
				app.Label().For("open-file").Text(t.OpenFile+" "),
				app.Input().Type("file").ID("open-file").Accept("application/json,.json").Disabled(!c.ready).OnChange(func(ctx app.Context, e app.Event) {
					if files := ctx.JSSrc().Get("files"); files.Length() > 0 {
						c.openFile(ctx, files.Index(0))
					}
				}),
				app.Span().Class("path").Text(" "+t.DropHint),
			),
		app.Button().Type("button").Class("secondary").ID("new-config").Text(t.New).Disabled(!c.ready).OnClick(func(ctx app.Context, e app.Event) { c.New() }),
		app.If(c.loading || !c.ready, func() app.UI { return app.Span().ID("console-loading").Aria("live", "polite").Text(t.Fetching) }),
		app.If(c.openErr != "", func() app.UI {
			return app.P().Class("console-error").Role("alert").Text(t.NotJSON + t.Colon + c.openErr)
		}),
	)
}

func (c *Configurator) openHost(ctx app.Context) {
	for _, hc := range c.Boot.Configs {
		if hc.ID == c.chosen {
			c.fetch(ctx, hc, func(p *consent.Portal) { c.setPortal(hc.ID, p) })
		}
	}
}

// fetch gets a host's configuration off the UI's goroutine, then opens it.
func (c *Configurator) fetch(ctx app.Context, hc HostConfig, open func(*consent.Portal)) {
	if c.Fetch == nil {
		return
	}
	c.loading = true
	ctx.Async(func() {
		body, err := c.Fetch(hc.URL)
		ctx.Dispatch(func(ctx app.Context) {
			c.loading = false
			if err == nil {
				var p *consent.Portal
				if p, err = consent.DecodePortal(hc.ID, []byte(body)); err == nil {
					c.openErr = ""
					open(p)
					return
				}
			}
			c.openErr = err.Error()
		})
	})
}

func (c *Configurator) openFile(ctx app.Context, file app.Value) {
	if c.Read == nil {
		return
	}
	name := file.Get("name").String()
	c.loading = true
	ctx.Async(func() {
		text, err := c.Read(file)
		ctx.Dispatch(func(ctx app.Context) {
			c.loading = false
			if err != nil {
				c.openErr = err.Error()
				return
			}
			c.Load(name, []byte(text))
		})
	})
}

// status says whether the configuration is valid, names its error with a
// link to the field, proposes a new revision, and offers the download.
func (c *Configurator) status() app.UI {
	t := c.t()
	asks := c.original != nil && consent.AsksAgain(c.original, c.portal) && c.portal.Revision <= c.original.Revision
	return app.Div().ID("status").Aria("live", "polite").Body(
		app.P().Text(t.Opened+" "+c.source),
		app.If(c.err != nil, func() app.UI {
			return app.Div().Class("console-summary-box").Role("alert").Body(
				app.P().Class("console-error").ID("error-summary").TabIndex(-1).Text(t.ErrorIn+" "+c.fieldName()+t.Colon+c.err.ProblemIn(c.Boot.Lang)),
				app.If(c.err.Field != "", func() app.UI { return c.goTo(t.GoTo+" "+c.err.Field, c.err.Field) }),
				app.If(len(c.errs) > 1, func() app.UI {
					shown := c.errs[1:min(len(c.errs), maxErrorsListed)]
					return app.Div().Body(
						app.P().ID("error-count").Text(fmt.Sprintf(t.MoreErrors, len(c.errs)-1)),
						app.Ul().Class("error-list").Body(app.Range(shown).Slice(func(i int) app.UI {
							return app.Li().Body(c.goTo(shown[i].Field+t.Colon+shown[i].ProblemIn(c.Boot.Lang), shown[i].Field))
						})),
					)
				}),
			)
		}).Else(func() app.UI {
			return app.P().Class("console-ok").ID("valid").Text(t.Valid)
		}),
		app.If(asks, func() app.UI {
			next := c.original.Revision + 1
			return app.P().Class("console-notice").ID("revision-notice").Body(
				app.Text(t.RevisionChanged+" "),
				app.Button().Type("button").ID("raise-revision").Text(fmt.Sprintf(t.RaiseRevision, next)).OnClick(func(ctx app.Context, e app.Event) {
					c.portal.Revision, c.portal.RevisedAt = next, time.Now().Format(time.DateOnly)
					c.check()
				}),
			)
		}),
		app.Div().Class("toolbar").Body(
			// A download with errors shows each at its field and moves
			// to the summary: the button is never a dead end.
			app.Button().Type("button").ID("download").Text(t.Download).Aria("describedby", "download-hint").OnClick(func(ctx app.Context, e app.Event) {
				if c.err != nil {
					c.showAll = true
					ctx.Defer(func(app.Context) {
						if el := app.Window().GetElementByID("error-summary"); el.Truthy() {
							el.Call("focus")
						}
					})
					return
				}
				if c.Save != nil {
					c.saved, c.unsaved = Download(c.portal), false
					c.Save(c.portal.ID+".json", c.saved)
				}
			}),
			app.If(c.err != nil, func() app.UI { return app.Span().ID("download-hint").Text(t.DownloadBlocked) }),
		),
	)
}

// fieldName is the error's field as a person reads it.
// maxErrorsListed bounds the summary's list: a language just added lacks
// a hundred texts, each marked at its field anyway.
const maxErrorsListed = 12

// goTo is a link that moves the focus to the field at path, whose error
// it shows.
func (c *Configurator) goTo(text, path string) app.UI {
	return c.jumpTo(text, path, true)
}

// jumpTo is a link that moves the focus to the field or the section at
// path; reveal shows the field's error.
func (c *Configurator) jumpTo(text, path string, reveal bool) app.UI {
	return app.A().Href("#" + inputID(path)).Text(text).OnClick(func(ctx app.Context, e app.Event) {
		// The page's own scrolling, not go-app's navigation.
		e.PreventDefault()
		if reveal {
			c.touched[path] = true
		}
		if el := app.Window().GetElementByID(inputID(path)); el.Truthy() {
			el.Call("focus")
		}
	})
}

func (c *Configurator) fieldName() string {
	if c.err.Field == "" {
		return c.source
	}
	return c.err.Field
}

func inputID(path string) string { return "field-" + path }

// label names the field whose JSON name is name.
func (c *Configurator) label(name string) string {
	if l, ok := c.t().Labels[name]; ok {
		return l
	}
	return name
}

// fields renders v's fields, one input each, nested groups for the
// categories, their cookies and services, the texts of each language.
func (c *Configurator) fields(v reflect.Value, path string) []app.UI {
	var list []app.UI
	t := v.Type()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		list = append(list, c.value(v.Field(i), join(path, name), name))
	}
	return list
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// value renders one value at path, named name.
func (c *Configurator) value(v reflect.Value, path, name string) app.UI {
	switch v.Interface().(type) {
	case consent.Localized:
		var inputs []app.UI
		for _, lang := range c.portal.Languages {
			inputs = append(inputs, c.text(join(path, lang), c.label(name)+" ("+lang+")", v.Interface().(consent.Localized)[lang], long(name)))
		}
		return c.group(path, name, inputs...)
	case map[string]*consent.Texts:
		var groups []app.UI
		for _, lang := range c.portal.Languages {
			// A language without texts shows empty ones: the first typed
			// creates them (Set).
			texts := cmp.Or(c.portal.Texts[lang], &consent.Texts{})
			groups = append(groups, c.groupNamed(join(path, lang), c.label(name)+" ("+lang+")", c.fields(reflect.ValueOf(texts).Elem(), join(path, lang))...))
		}
		return app.Div().Body(groups...)
	case map[string][]string:
		var inputs []app.UI
		for _, signal := range consent.ConsentModeSignals {
			inputs = append(inputs, c.text(join(path, signal), signal, strings.Join(v.Interface().(map[string][]string)[signal], ", "), false, c.t().ListHint))
		}
		return c.group(path, name, inputs...)
	case map[string]string:
		var inputs []app.UI
		for _, key := range consent.PlatformKeys {
			inputs = append(inputs, c.text(join(path, key), key, v.Interface().(map[string]string)[key], false))
		}
		return c.group(path, name, inputs...)
	case []string:
		hint := c.t().ListHint
		switch name {
		case "paragraphs":
			hint = c.t().ParagraphsHint
		case "languages":
			hint = c.t().LanguagesHint
		}
		return c.text(path, c.label(name), JoinList(path, v.Interface().([]string)), name == "paragraphs", hint)
	}
	switch v.Kind() {
	case reflect.String:
		switch name {
		case "mode":
			return c.choice(path, name, v.String(), consent.MatomoCookies, consent.MatomoTracking)
		case "api":
			return c.choice(path, name, v.String(), consent.PianoConsent, consent.PianoPrivacy)
		}
		return c.text(path, c.label(name), v.String(), long(name))
	case reflect.Int:
		return c.input(path, c.label(name), "number", strconv.Itoa(int(v.Int())), false)
	case reflect.Bool:
		return c.checkbox(path, c.label(name), v.Bool(), func(ctx app.Context, on bool) { c.set(path, strconv.FormatBool(on)) })
	case reflect.Pointer:
		on := !v.IsNil()
		toggle := c.checkbox(path, c.label(name)+" · "+c.t().Enabled, on, func(ctx app.Context, on bool) {
			if on {
				v.Set(reflect.New(v.Type().Elem()))
			} else {
				v.Set(reflect.Zero(v.Type()))
			}
			c.check()
		})
		if !on {
			return toggle
		}
		return c.group(path, name, append([]app.UI{toggle}, c.fields(v.Elem(), path)...)...)
	case reflect.Struct:
		return c.group(path, name, c.fields(v, path)...)
	case reflect.Slice:
		var items []app.UI
		for i := range v.Len() {
			item := fmt.Sprintf("%s[%d]", path, i)
			title := fmt.Sprintf("%s %d", c.label(name), i+1)
			if id := v.Index(i).FieldByName("ID"); id.IsValid() && id.String() != "" {
				title += " · " + id.String()
			} else if n := v.Index(i).FieldByName("Name"); n.IsValid() && n.Kind() == reflect.String && n.String() != "" {
				title += " · " + n.String()
			}
			body := append(c.fields(v.Index(i), item), app.Div().Class("item-actions").Body(
				app.Button().Type("button").Class("secondary").ID("remove-"+item).Text(c.t().Remove+" · "+title).OnClick(func(ctx app.Context, e app.Event) {
					Remove(c.portal, item)
					c.check()
				}),
			))
			items = append(items, c.groupNamed(item, title, body...))
		}
		items = append(items, app.Button().Type("button").Class("secondary").ID("add-"+path).Text(c.t().Add+" · "+c.label(name)).OnClick(func(ctx app.Context, e app.Event) {
			Add(c.portal, path)
			c.check()
		}))
		return c.group(path, name, items...)
	}
	return app.Text("")
}

// long tells the fields that hold sentences, edited in a text area.
func long(name string) bool {
	return slices.Contains([]string{"body", "intro", "description", "purpose", "justification", "gpc", "paragraphs", "javascriptNeeded"}, name)
}

func (c *Configurator) group(path, name string, body ...app.UI) app.UI {
	return c.groupNamed(path, c.label(name), body...)
}

// groupNamed is a fieldset; the validator's error about the group itself
// (a list that is empty, a language without texts) shows under its legend.
func (c *Configurator) groupNamed(path, legend string, body ...app.UI) app.UI {
	fs := app.FieldSet().ID(inputID(path)).TabIndex(-1)
	head := []app.UI{app.Legend().Text(legend)}
	if msg := c.errorAt(path); msg != "" {
		head = append(head, app.P().Class("console-error").ID("error-"+path).Text(msg))
		fs = fs.Aria("describedby", "error-"+path)
	}
	return fs.Body(append(head, body...)...)
}

// errorAt is the validator's problem with the field at path, if any, once
// the field, or one in its group, was touched.
func (c *Configurator) errorAt(path string) string {
	msg := c.errAt[path]
	if msg == "" || c.showAll || c.touched[path] {
		return msg
	}
	for t := range c.touched {
		if strings.HasPrefix(t, path+".") || strings.HasPrefix(t, path+"[") {
			return msg
		}
	}
	return ""
}

// showErrors shows errs, the validator's: each next to its field, the first
// in the summary.
func (c *Configurator) showErrors(errs []*consent.ConfigError) {
	c.errs, c.err, c.errAt = errs, nil, map[string]string{}
	if len(errs) > 0 {
		c.err = errs[0]
	}
	for _, e := range errs {
		if _, first := c.errAt[e.Field]; !first {
			c.errAt[e.Field] = e.ProblemIn(c.Boot.Lang)
		}
	}
}

func (c *Configurator) text(path, label, value string, area bool, hints ...string) app.UI {
	return c.input(path, label, "text", value, area, hints...)
}

// input is a labelled input or text area; its error, when the validator
// names it, is under it and described by it.
func (c *Configurator) input(path, label, kind, value string, area bool, hints ...string) app.UI {
	id := inputID(path)
	change := func(ctx app.Context, e app.Event) {
		c.set(path, ctx.JSSrc().Get("value").String())
	}
	invalid, ids, notes := c.notes(path, hints...)
	var control app.UI
	if area {
		control = described(app.Textarea().ID(id).Name(path).Text(value).OnInput(change), invalid, ids)
	} else {
		control = described(app.Input().Type(kind).ID(id).Name(path).Value(value).OnInput(change), invalid, ids)
	}
	return app.Div().Class("field").Body(append([]app.UI{c.fieldLabel(id, label, path), control}, notes...)...)
}

func (c *Configurator) checkbox(path, label string, on bool, toggle func(ctx app.Context, on bool)) app.UI {
	id := inputID(path)
	invalid, ids, notes := c.notes(path)
	in := described(app.Input().Type("checkbox").ID(id).Name(path).Checked(on).OnChange(func(ctx app.Context, e app.Event) {
		toggle(ctx, ctx.JSSrc().Get("checked").Bool())
	}), invalid, ids)
	return app.Div().Class("field check").Body(append([]app.UI{in, c.fieldLabel(id, label, path)}, notes...)...)
}

func (c *Configurator) choice(path, name, value string, options ...string) app.UI {
	id := inputID(path)
	invalid, ids, notes := c.notes(path)
	sel := described(app.Select().ID(id).Name(path).OnChange(func(ctx app.Context, e app.Event) { c.set(path, ctx.JSSrc().Get("value").String()) }).Body(
		app.Range(options).Slice(func(i int) app.UI {
			return app.Option().Value(options[i]).Selected(options[i] == value || (value == "" && i == 0)).Text(options[i])
		}),
	), invalid, ids)
	return app.Div().Class("field").Body(append([]app.UI{c.fieldLabel(id, c.label(name), path), sel}, notes...)...)
}

// fieldLabel labels the control id with label and the field's path, the
// validator's name for it.
func (c *Configurator) fieldLabel(id, label, path string) app.UI {
	return app.Label().For(id).Body(app.Text(label+" "), app.Span().Class("path").Text(path))
}

// notes are what is said under the field at path: its hint, then the
// validator's error (invalid tells whether there is one), with their ids.
func (c *Configurator) notes(path string, hints ...string) (invalid bool, ids []string, notes []app.UI) {
	if len(hints) > 0 {
		ids = append(ids, "hint-"+path)
		notes = append(notes, app.Span().Class("path").ID("hint-"+path).Text(hints[0]))
	}
	if msg := c.errorAt(path); msg != "" {
		invalid = true
		ids = append(ids, "error-"+path)
		notes = append(notes, app.P().Class("console-error").ID("error-"+path).Text(msg))
	}
	return invalid, ids, notes
}

// described ties a control to its notes, and marks it invalid when the
// validator names it: a screen reader reads the error with the field.
func described[T interface{ Aria(string, any) T }](control T, invalid bool, ids []string) T {
	if invalid {
		control = control.Aria("invalid", "true")
	}
	if len(ids) > 0 {
		control = control.Aria("describedby", strings.Join(ids, " "))
	}
	return control
}

// set writes an input's value and validates again. The portal's name,
// typed, is written in the texts that name it (named).
func (c *Configurator) set(path, value string) {
	c.touched[path] = true
	lang, isName := strings.CutPrefix(path, "name.")
	before := c.portal.Name[lang]
	if path == "languages" {
		SetLanguages(c.portal, value)
	} else if err := Set(c.portal, path, value); err != nil {
		ce, ok := err.(*consent.ConfigError)
		if !ok {
			ce = consent.Problem(path, "%v", err)
		}
		c.showErrors([]*consent.ConfigError{ce})
		return
	}
	if isName {
		for text, template := range c.named {
			if langOf(c.portal, text) == lang && textAt(c.portal, text) == nameIn(template, before, lang) {
				Set(c.portal, text, nameIn(template, value, lang))
			}
		}
	}
	c.check()
}

// others are the identities (consent.Portal.Identity) of the host's other
// portals, whose names this configuration's texts must not carry.
func (c *Configurator) others() map[string][]string {
	others := map[string][]string{}
	for _, hc := range c.Boot.Configs {
		others[hc.ID] = hc.Identity
	}
	return others
}

// preview shows the banner, the dialog or the charter in a phone-wide and
// a desktop-wide frame. The frames run no script; their documents come
// from the same components visitors get.
func (c *Configurator) preview() app.UI {
	t := c.t()
	var frames []app.UI
	if c.shown != nil {
		if c.err != nil {
			frames = append(frames, app.P().Class("console-notice").ID("preview-stale").Text(t.PreviewStale))
		}
		doc := PreviewDocument(c.shown, c.shownLang(), c.view, c.theme == "dark", c.Boot.CSS)
		for _, size := range []struct{ class, name string }{{"phone", t.Phone}, {"desktop", t.Desktop}} {
			title := fmt.Sprintf(t.PreviewOf, c.viewName(c.view), size.name, c.themeName())
			frames = append(frames, app.Figure().Body(
				app.IFrame().Class(size.class+" "+c.theme).ID("preview-"+size.class).Title(title).Sandbox("allow-same-origin").Attr("srcdoc", doc),
				app.FigCaption().Text(size.name),
			))
		}
	} else {
		frames = append(frames, app.P().Text(t.NoPreview))
	}
	return app.Section().Class("preview").Aria("labelledby", "preview-title").Body(
		c.contents(),
		app.H2().ID("preview-title").Text(t.Preview),
		app.Div().Class("toolbar").Body(
			c.previewChoice("preview-lang", t.Language, c.previewLang, c.portal.Languages, func(v string) string { return v }, func(v string) { c.previewLang = v }),
			c.previewChoice("preview-view", t.View, c.view, []string{ViewBanner, ViewPreferences, ViewCharter}, c.viewName, func(v string) { c.view = v }),
			c.previewChoice("preview-theme", t.Theme, c.theme, []string{"light", "dark"}, func(v string) string { return map[string]string{"light": t.Light, "dark": t.Dark}[v] }, func(v string) { c.theme = v }),
		),
		app.Div().Class("preview-frames").Body(frames...),
	)
}

// contents links each of the form's sections: the form is long (a
// language's texts are fifty fields), and the list stays in view beside
// it, above the preview.
func (c *Configurator) contents() app.UI {
	t := c.t()
	type section struct{ path, name string }
	var sections []section
	for _, name := range []string{"id", "name", "languages", "lifetime", "categories", "consentMode", "opendatasoft", "integrations"} {
		sections = append(sections, section{name, c.label(name)})
	}
	for _, lang := range c.portal.Languages {
		sections = append(sections, section{"texts." + lang, c.label("texts") + " (" + lang + ")"})
	}
	return app.Nav().Class("contents").Aria("label", t.Sections).Body(
		app.H2().Text(t.Sections),
		app.Ul().Body(app.Range(sections).Slice(func(i int) app.UI {
			return app.Li().Body(c.jumpTo(sections[i].name, sections[i].path, false))
		})),
	)
}

// shownLang is the preview's language, or the shown version's first when
// that version lacks it (a language just added).
func (c *Configurator) shownLang() string {
	if slices.Contains(c.shown.Languages, c.previewLang) {
		return c.previewLang
	}
	return c.shown.Languages[0]
}

func (c *Configurator) viewName(v string) string {
	t := c.t()
	return map[string]string{ViewBanner: t.ViewBanner, ViewPreferences: t.ViewPreferences, ViewCharter: t.ViewCharter}[v]
}

func (c *Configurator) themeName() string {
	if c.theme == "dark" {
		return c.t().Dark
	}
	return c.t().Light
}

func (c *Configurator) previewChoice(id, label, value string, options []string, name func(string) string, pick func(string)) app.UI {
	return app.Label().Body(
		app.Text(label),
		app.Select().ID(id).OnChange(func(ctx app.Context, e app.Event) { pick(ctx.JSSrc().Get("value").String()) }).Body(
			app.Range(options).Slice(func(i int) app.UI {
				return app.Option().Value(options[i]).Selected(options[i] == value).Text(name(options[i]))
			}),
		),
	)
}

// ParseBoot reads the host's boot data.
func ParseBoot(data string) (Boot, error) {
	var b Boot
	err := json.Unmarshal([]byte(data), &b)
	return b, err
}
