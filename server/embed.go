package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"slices"

	"github.com/opendata-consent/consent/app"
	"github.com/opendata-consent/consent/consent"
)

// embedPortal is what embed.js knows of a portal: enough to paint its
// banner in each language and to tell whether a stored choice still holds.
type embedPortal struct {
	Revision  int      `json:"revision"`
	Languages []string `json:"languages"`
	Required  []string `json:"required"`
	// Optional lists the purposes, as the cookie names them: categories,
	// or "category/service".
	Optional []string `json:"optional"`
	// Exempt lists the optional categories on before any choice (exempt
	// audience measurement).
	Exempt      []string          `json:"exempt"`
	ConsentDays int               `json:"consentDays"`
	RefusalDays int               `json:"refusalDays"`
	CharterHref string            `json:"charterHref"`
	HTML        map[string]string `json:"html"`
	// ConsentMode maps each Consent Mode signal the portal sends to the
	// categories that grant it (empty: always denied).
	ConsentMode map[string][]string `json:"consentMode,omitempty"`
	// GPC is true when the portal honours Global Privacy Control.
	GPC bool `json:"gpc"`
	// Trackers and Honour are the portal's Opendatasoft settings: which
	// purpose each platform key stands for, and whether a consent given on
	// the platform's own banner is honoured.
	Trackers map[string]string `json:"trackers"`
	Honour   bool              `json:"honour,omitempty"`
	// CookieDomain is the domain the choice is shared across, written on
	// the pages inside it (consent.Portal.CookieDomainFor).
	CookieDomain string `json:"cookieDomain,omitempty"`
	// Cookies lists the configured cookie names by optional category: a
	// refusal deletes them ("_pk_id.*" stands for every name it starts),
	// as Go's consent.Portal.Store does, a click before the loader came
	// included.
	Cookies map[string][]string `json:"cookies"`
	// Loader is the portal's second script (web/loader.js and what it
	// shows before Go runs).
	Loader string `json:"loader"`
}

// buildEmbed prepares embed.js, which carries the banner of every portal
// and loads the page's portal's loader, and embed.js?portal=<id>, which
// carries only that portal's banner, and its loader: the dialog comes in
// the same response as the banner, in its first round trip
// (TestEmbedScriptFitsItsBudget), where embed.js would wait one more round
// trip for it ("Personnaliser" clicked as the banner shows).
func (s *Server) buildEmbed(files fs.FS) error {
	src, err := fs.ReadFile(files, "dist/embed.js")
	if err != nil {
		return fmt.Errorf("web/dist/embed.js: %w", ErrNotBuilt)
	}
	bannerCSS, err := fs.ReadFile(files, "dist/banner.css")
	if err != nil {
		return fmt.Errorf("web/dist/banner.css: %w", ErrNotBuilt)
	}
	const placeholder = "__CONSENT_MANIFEST__"
	if bytes.Count(src, []byte(placeholder)) != 1 {
		return fmt.Errorf("web/dist/embed.js must name %s once, where the host puts the manifest", placeholder)
	}
	// Each portal is pre-rendered once; embed.js carries them all, and
	// embed.js?portal=<id> the one.
	loader, err := s.loaderTemplate(files)
	if err != nil {
		return err
	}
	portals := map[string]*embedPortal{}
	loaders := map[string][]byte{}
	for _, p := range s.order {
		portals[p.ID] = s.embedPortal(p)
		if portals[p.ID].Loader, loaders[p.ID], err = loader(p); err != nil {
			return err
		}
	}
	// build makes an embed.js whose default portal is defaultPortal, with
	// portals' banners; with inlineLoader, that portal's loader comes first
	// in it.
	build := func(defaultPortal string, portals map[string]*embedPortal, inlineLoader []byte) (*asset, error) {
		// The banner's styles travel inside embed.js, to paint without
		// another request; the dialog's and the charter's (consent.css) in
		// the portal's loader, which shows them.
		manifest := embedManifest{
			DefaultPortal: defaultPortal,
			BannerCSS:     string(bannerCSS),
			Receipts:      s.receiptsPath(),
			Portals:       portals,
			PlatformKeys:  consent.PlatformKeys,
			PlatformDays:  consent.PlatformChoiceDays,
			CookieCopies:  consent.MaxCookieCopies,
		}
		// The manifest is a script's literal, never inside HTML: <, > and &
		// stay as they are (as \u003c they would cost six bytes each).
		var data bytes.Buffer
		enc := json.NewEncoder(&data)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(manifest); err != nil {
			return nil, err
		}
		js := bytes.Replace(src, []byte(placeholder), bytes.TrimSuffix(data.Bytes(), []byte("\n")), 1)
		if inlineLoader != nil {
			js = slices.Concat([]byte(inlineLoaderStart), inlineLoader, []byte(inlineLoaderEnd), js)
		}
		return newAsset("embed.js", "text/javascript; charset=utf-8", shortLived, js, nil, nil), nil
	}
	if s.embedJS, err = build(s.defaultP.ID, portals, nil); err != nil {
		return err
	}
	// Never kept by a shared cache: one that ignores Vary would serve it to
	// visitors.
	s.crawlerEmbedJS = newAsset("embed.js", "text/javascript; charset=utf-8", "private, no-store", []byte(crawlerEmbedJS), nil, nil)
	s.portalEmbedJS = map[string]*asset{}
	for id, ep := range portals {
		if s.portalEmbedJS[id], err = build(id, map[string]*embedPortal{id: ep}, loaders[id]); err != nil {
			return err
		}
	}
	return nil
}

// An inline loader is a function embed.js finds and calls once the banner
// is painted (Member.loader, web/src/protocol.ts): in the same task as
// embed.js, the loader would delay the banner's first frame by its own
// run.
const (
	inlineLoaderStart = "(self.consentBanner=self.consentBanner||{})._loader=function(){"
	inlineLoaderEnd   = "\n};\n"
)

// embedManifest is what the host tells embed.js, in place of
// __CONSENT_MANIFEST__.
type embedManifest struct {
	DefaultPortal string                  `json:"defaultPortal"`
	BannerCSS     string                  `json:"bannerCSS"`
	Receipts      string                  `json:"receipts,omitempty"`
	Portals       map[string]*embedPortal `json:"portals"`
	// PlatformKeys and PlatformDays are what the page needs to read the
	// cookie as Go does (consent.PlatformKeys, consent.PlatformChoiceDays).
	PlatformKeys []string `json:"platformKeys"`
	PlatformDays int      `json:"platformDays"`
	// CookieCopies is how many copies of the cookie are read, the first
	// ones (consent.MaxCookieCopies).
	CookieCopies int `json:"cookieCopies"`
}

// embedPortal describes p for embed.js, its banner pre-rendered in each of
// its languages.
func (s *Server) embedPortal(p *consent.Portal) *embedPortal {
	ep := &embedPortal{
		Revision:     p.Revision,
		Languages:    p.Languages,
		ConsentDays:  p.Lifetime.ConsentDays,
		RefusalDays:  p.Lifetime.RefusalDays,
		CharterHref:  p.CharterHref(charterPath(p)),
		HTML:         map[string]string{},
		GPC:          !p.IgnoreGlobalPrivacyControl,
		Exempt:       []string{},
		Trackers:     map[string]string{},
		Honour:       p.Opendatasoft.HonourEarlierConsent,
		CookieDomain: p.CookieDomain,
		Cookies:      map[string][]string{},
	}
	maps.Copy(ep.Trackers, p.Opendatasoft.Trackers)
	for _, c := range p.Categories {
		if c.Required {
			ep.Required = append(ep.Required, c.ID)
		}
		if c.Exempt != nil {
			ep.Exempt = append(ep.Exempt, c.ID)
		}
	}
	for _, pu := range p.Purposes() {
		ep.Optional = append(ep.Optional, pu.Key)
	}
	for _, cat := range p.OptionalCategories() {
		for _, k := range cat.Cookies {
			ep.Cookies[cat.ID] = append(ep.Cookies[cat.ID], k.Name)
		}
	}
	for _, signal := range p.ConsentModeDefault() {
		if ep.ConsentMode == nil {
			ep.ConsentMode = map[string][]string{}
		}
		ep.ConsentMode[signal] = append([]string{}, p.ConsentMode[signal]...)
	}
	for _, lang := range p.Languages {
		ep.HTML[lang] = app.PrerenderRoot(&app.Root{Portal: p, Lang: lang, CharterHref: ep.CharterHref})
	}
	return ep
}

// receiptsPath is where embed.js posts receipts: "" when they are not kept.
func (s *Server) receiptsPath() string {
	if s.receipts == nil {
		return ""
	}
	return receiptPath
}

// loaderPortal is what a portal's loader carries in place of
// __CONSENT_PORTAL__: what the page shows and does before Go runs.
type loaderPortal struct {
	// Dialogs holds the preferences dialog, pre-rendered, by language.
	Dialogs map[string]string `json:"dialogs"`
	// Placeholders holds, by language, the placeholder of each category
	// and service a page's element can be gated by (app.Placeholder).
	Placeholders map[string]map[string]string `json:"placeholders"`
	// CSS is the dialog's and the charter's stylesheet (consent.css).
	CSS string `json:"css"`
	// Focusable selects the dialog's controls that Tab reaches, the focus
	// kept among them as Go's dialog keeps it (app.Focusable).
	Focusable string `json:"focusable"`
	// Charter is where the loader gets the live charter for the page's
	// data-consent-charter element (server/charter.go).
	Charter string `json:"charter"`
	// What starts Go: the hashed WebAssembly, wasm_exec.js and the
	// configuration, and how long to wait for each (ms).
	WASM    string `json:"wasm"`
	Exec    string `json:"exec"`
	Config  string `json:"config"`
	Timeout int64  `json:"timeout"`
}

// loaderTemplate returns the function that makes a portal's loader, a
// hashed asset, and returns its path and its code.
func (s *Server) loaderTemplate(files fs.FS) (func(p *consent.Portal) (string, []byte, error), error) {
	src, err := fs.ReadFile(files, "dist/loader.js")
	if err != nil {
		return nil, fmt.Errorf("web/dist/loader.js: %w", ErrNotBuilt)
	}
	css, err := fs.ReadFile(files, "dist/consent.css")
	if err != nil {
		return nil, fmt.Errorf("web/dist/consent.css: %w", ErrNotBuilt)
	}
	const placeholder = "__CONSENT_PORTAL__"
	if bytes.Count(src, []byte(placeholder)) != 1 {
		return nil, fmt.Errorf("web/dist/loader.js must name %s once, where the host puts the portal", placeholder)
	}
	integrations, err := fs.ReadFile(files, "dist/integrations.js")
	if err != nil {
		return nil, fmt.Errorf("web/dist/integrations.js: %w", ErrNotBuilt)
	}
	const declared = "__CONSENT_INTEGRATIONS__"
	if bytes.Count(integrations, []byte(declared)) != 1 {
		return nil, fmt.Errorf("web/dist/integrations.js must name %s once, where the host puts the portal's integrations", declared)
	}
	return func(p *consent.Portal) (string, []byte, error) {
		lp := loaderPortal{Dialogs: map[string]string{}, Placeholders: map[string]map[string]string{}, CSS: string(css), Focusable: app.Focusable,
			Charter: liveCharterPath(p), WASM: s.wasmPath, Exec: s.execPath, Config: s.configs[p.ID], Timeout: s.clientTimeout.Milliseconds()}
		for _, lang := range p.Languages {
			lp.Dialogs[lang] = app.PrerenderPreferences(p, lang)
			lp.Placeholders[lang] = app.PrerenderPlaceholders(p, lang)
		}
		var data bytes.Buffer
		enc := json.NewEncoder(&data)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(lp); err != nil {
			return "", nil, err
		}
		js := bytes.Replace(src, []byte(placeholder), bytes.TrimSuffix(data.Bytes(), []byte("\n")), 1)
		// The integrations' code goes only to the portals that declare one.
		if p.Integrations.Any() {
			declarations, err := json.Marshal(p.Integrations)
			if err != nil {
				return "", nil, err
			}
			js = append(js, bytes.Replace(integrations, []byte(declared), declarations, 1)...)
		}
		return s.addAsset(newAsset(hashedName("loader-"+p.ID+".js", js), "text/javascript; charset=utf-8", immutable, js, nil, nil)), js, nil
	}, nil
}
