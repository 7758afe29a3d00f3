/*
 * The protocol between the page's three scripts and Go: every member of
 * window.consentBanner, every command, event and storage name, the fields
 * of every object they hand each other, the placeholders the host fills
 * in, and the hooks of the pre-rendered markup. It is declared here and
 * nowhere else: web/embed.js, web/loader.js, web/integrations.js and the
 * modules of web/src/ import the names they use from this file.
 *
 * The sides:
 *   embed.js        web/embed.js, the first script (paints the banner).
 *   loader.js       web/loader.js, the portal's second script (the dialog,
 *                   gating, the receipts, the charter, Go's start).
 *   integrations.js web/integrations.js, appended to a portal's loader when
 *                   it declares analytics integrations.
 *   Go              the WebAssembly client: bridge/*.go, through syscall/js,
 *                   by the same string names.
 *   host            the Go host: it fills in the placeholders
 *                   (server/embed.go) and pre-renders the markup (app/).
 *   page            the portal's own scripts: only the public API and the
 *                   events are theirs.
 * Each declaration says who defines (sets, dispatches, writes) it and who
 * may use (call, read, listen to) it. A name Go uses is a contract with the
 * Go file named: renaming it here means renaming it there.
 *
 * It is TypeScript for one reason: esbuild puts the value of a const enum's
 * member where it is used (api[Member.state] is built as api._state), so
 * the names cost the scripts nothing; the interfaces are types only. The
 * rest of the page's code is JavaScript.
 */

/** The members of window.consentBanner. */
export const enum Member {
  // The public API, for the page: defined by embed.js; called by the page.
  // A search crawler gets a stub of these four instead of embed.js
  // (server/crawlers.go). show and showPreferences are Commands.

  /** () => void: shows the banner again. */
  show = "show",
  /** () => void: opens the preferences dialog. */
  showPreferences = "showPreferences",
  /** () => State | null: the current choice. */
  get = "get",
  /** (key) => boolean: whether the current choice accepts a category or a
   * purpose ("category/service"). */
  acceptedCategory = "acceptedCategory",

  // Between the scripts and Go.

  /** Boot. Defined by embed.js; read by loader.js and Go (bridge.ReadBoot,
   * bridge/bridge.go). Its presence tells a second embed.js on the page
   * that the first one runs. */
  boot = "_boot",
  /** State | null: the current choice, what get() returns. Set by embed.js
   * (the stored cookie, Global Privacy Control, a click on the banner
   * before the loader) and by Go once it runs (bridge.Publish and
   * bridge.PublishGPC, bridge/api.go). Read by embed.js, loader.js and
   * integrations.js; never by Go, which keeps its own. */
  state = "_state",
  /** Command[]: the commands asked before the loader or Go ran. Created and
   * filled by embed.js; emptied by loader.js (as it sets local) and by Go
   * (bridge.Serve, bridge/api.go, which sets a new empty array). */
  queue = "_queue",
  /** (command: Command) => void: Go's receiver of commands. Set by Go
   * (bridge.Serve, bridge/api.go); called by embed.js (show,
   * showPreferences) and loader.js (stored). Its presence means Go runs;
   * the end-to-end tests read it. */
  go = "_go",
  /** (command: Command) => void: the loader's receiver of commands before
   * Go runs. Set by loader.js; called by embed.js (show, showPreferences). */
  local = "_local",
  /** (action: Action) => void: the loader's handler of a banner action
   * before Go runs. Set by loader.js; called by embed.js (a click on the
   * painted banner). The end-to-end tests wait for it as the sign the
   * loader runs (e2e/main_test.go). */
  decide = "_decide",
  /** true once Go has taken the page over. Set by Go (bridge.Ready,
   * bridge/api.go); read by embed.js (a click on the banner is then Go's)
   * and by the end-to-end tests. */
  ready = "_ready",
  /** EmbedHandOff. Set by embed.js as it paints; read by loader.js, which
   * adds runTag to it for integrations.js. Go never uses it. */
  embed = "_embed",
  /** () => void: the portal's loader itself, in embed.js?portal=<id>, where
   * the host puts it ahead of embed.js's own code (server/embed.go), so
   * that the dialog comes in the banner's first round trip. Called once by
   * embed.js after the banner's first frame, then deleted; absent from the
   * embed.js of every portal, which loads the portal's loader instead. */
  loader = "_loader",
  /** (body: string) => void: queues a receipt's JSON body (ReceiptBody) and
   * sends the queue. Set by loader.js; called by Go (bridge.SendReceipt,
   * bridge/receipt.go). */
  receipt = "_receipt",
  /** () => HandOver: the dialog as the visitor left it; the loader's
   * painted root leaves the page. Set by loader.js as Go starts; called
   * by Go once, in the task that mounts its root (bridge.HandOver,
   * bridge/bridge.go). */
  handOver = "_handover",
  /** () => Switches: the live charter's switches as the visitor left them;
   * the loader stops keeping it live. Set by loader.js as Go starts;
   * called by Go once (bridge.HandOverCharter, bridge/bridge.go). */
  handOverCharter = "_handoverCharter",
}

/** The commands passed to Member.go or Member.local, or waiting in
 * Member.queue (bridge/api.go's Command* constants). */
export const enum Command {
  /** Show the banner again: the public show(). */
  show = "show",
  /** Open the preferences dialog: the public showPreferences(). */
  showPreferences = "showPreferences",
  /** The page stored a choice (a placeholder's button, the live charter):
   * Go reads the cookie and shows it. Sent by loader.js, to Go only. */
  stored = "stored",
}

/** The events, dispatched on document. */
export const enum PageEvent {
  /** A choice was just made; detail is its State, with withdrawn (the
   * purposes it took back from the choice before) and cleared (the cookies
   * it deleted). Dispatched by embed.js (a choice made before Go) and by Go
   * (bridge.Publish, bridge/api.go). Listened to by embed.js (Consent
   * Mode), loader.js (gating, the live charter), integrations.js and the
   * page. */
  change = "consent:change",
  /** Go has taken over (Member.ready is true). Dispatched by Go
   * (bridge.Ready, bridge/api.go); for the page. */
  ready = "consent:ready",
}

/** Global names. */
export const enum Global {
  /** window.consentBanner: created by embed.js; used by every side, Go
   * included (bridge.API). */
  api = "consentBanner",
  /** The global of the worker that compiles Go and warms it up: a WarmUp.
   * Set by the loader's worker (web/src/gostart.js); read, and completed with done and error, by Go
   * (bridge.ReadWarmUp and bridge.ReportWarmUp, bridge/warmup.go). */
  warmUp = "consentWarmUp",
  /** The localStorage key of the receipts not yet acknowledged: a JSON list
   * of QueuedReceipt, the last 20. Written by embed.js and loader.js, sent
   * by loader.js; Go hands its receipts to Member.receipt instead. The
   * end-to-end tests read it (e2e/embed_test.go, e2e/faults_test.go). */
  receiptQueue = "consentBanner.receipts",
  /** The consent cookie's name (consent.CookieName, bridge/cookie.go): read
   * and written by embed.js, copies deleted by loader.js, read and written
   * by Go. */
  cookie = "cookies_preferences",
}

/** The banner's, the dialog's and the charter's actions, in a button's
 * data-cb-action (app/banner.go's Action* constants, app.ActionSave). */
export const enum Action {
  acceptAll = "accept-all",
  rejectAll = "reject-all",
  /** "Personnaliser": opens the dialog. */
  customise = "customise",
  /** "Continuer sans accepter": a refusal. */
  continue = "continue",
  /** The dialog's and the charter's "Enregistrer": the switches. */
  save = "save",
}

/** The hooks of the markup the host pre-renders from the same Go
 * components as Go's (app/), by which the scripts find its parts. */
export const enum Markup {
  /** The root element's id (app.RootID, app/root.go): the painted root is
   * replaced by Go's. */
  rootId = "cb-root",
  /** The banner (app/banner.go). */
  banner = ".cb-banner",
  /** The banner's link to the charter (app/banner.go). */
  charterLink = ".cb-link",
  /** A button carrying an Action (app/banner.go, app/preferences.go,
   * app/charter.go). */
  action = "[data-cb-action]",
  /** The preferences dialog (app/preferences.go). */
  dialog = "dialog.cb-dialog",
  /** Its close button. */
  close = ".cb-close",
  /** Its notice of Global Privacy Control. */
  gpcNotice = ".cb-gpc",
  /** The switches, data-key their purpose key (app/categories.go). */
  switches = "input[data-key]:not([disabled])",
  /** A gated element's placeholder (app/placeholder.go). */
  placeholder = ".cb-placeholder",
  /** Its button, data-cb-accept the key it accepts (app/placeholder.go). */
  accept = "[data-cb-accept]",
  /** Anything that opens the dialog: the page's own elements, the
   * placeholders' second button, and the footer button Opendatasoft
   * renders for its own banner. */
  opener = "[data-consent-open],.ods-manage-cookies-preferences__show-button",
  /** The page's element for the live charter (app.Root's CharterTarget). */
  charter = "[data-consent-charter]",
  /** The charter's "saved" notice (app/charter.go). */
  liveRegion = "[aria-live]",
}

/*
 * The placeholders the host fills in. They are not declared as values: the
 * host replaces each name, as it stands, in the built script, and refuses
 * a script that does not name it exactly once.
 *   __CONSENT_MANIFEST__      in embed.js: a Manifest (server/embed.go,
 *                             buildEmbed).
 *   __CONSENT_PORTAL__        in loader.js: a LoaderPortal (server/embed.go,
 *                             loaderTemplate).
 *   __CONSENT_INTEGRATIONS__  in integrations.js: the portal's
 *                             integrations, as consent.Integrations
 *                             marshals them (server/embed.go,
 *                             loaderTemplate).
 */

/** What the host tells embed.js in place of __CONSENT_MANIFEST__
 * (server/embed.go, embedManifest). */
export interface Manifest {
  /** The portal of a script without data-portal. */
  defaultPortal: string;
  /** The banner's stylesheet (banner.css). */
  bannerCSS: string;
  /** Where receipts go, relative to the script; absent when the host keeps
   * none. */
  receipts?: string;
  portals: Record<string, Portal>;
  /** The Opendatasoft platform's keys (consent.PlatformKeys). */
  platformKeys: string[];
  /** How long the platform's own choice holds, in days
   * (consent.PlatformChoiceDays). */
  platformDays: number;
  /** How many copies of the cookie are read, the first ones
   * (consent.MaxCookieCopies). */
  cookieCopies: number;
}

/** A portal as embed.js knows it (server/embed.go, embedPortal). */
export interface Portal {
  revision: number;
  /** The default first. */
  languages: string[];
  /** The necessary categories. */
  required: string[];
  /** The purposes, as the cookie names them: categories, or
   * "category/service". */
  optional: string[];
  /** The optional categories on before any choice (exempt measurement). */
  exempt: string[];
  consentDays: number;
  refusalDays: number;
  /** The charter's address, relative to the script. */
  charterHref: string;
  /** The root, pre-rendered, by language. */
  html: Record<string, string>;
  /** Each Consent Mode signal, and the categories that grant it. */
  consentMode?: Record<string, string[]>;
  /** Whether Global Privacy Control is honoured. */
  gpc: boolean;
  /** The purpose each platform key stands for. */
  trackers: Record<string, string>;
  /** Whether a consent given on the platform's own banner is honoured. */
  honour?: boolean;
  /** The domain the choice is shared across (consent.Portal.CookieDomain),
   * written on the pages inside it. */
  cookieDomain?: string;
  /** The configured cookie names by optional category ("_pk_id.*" stands
   * for every name it starts): a refusal deletes them, before the loader
   * comes too. */
  cookies: Record<string, string[]>;
  /** The portal's loader, relative to the script. */
  loader: string;
}

/** What the host puts in a portal's loader in place of __CONSENT_PORTAL__
 * (server/embed.go, loaderPortal). */
export interface LoaderPortal {
  /** The dialog, pre-rendered, by language. */
  dialogs: Record<string, string>;
  /** The placeholders, pre-rendered, by language then by category or
   * purpose key. */
  placeholders: Record<string, Record<string, string>>;
  /** consent.css: the dialog's, the charter's and the placeholders'. */
  css: string;
  /** The dialog's controls that Tab reaches, the focus kept among them
   * as Go's dialog keeps it: app.Focusable, which the host writes here. */
  focusable: string;
  /** Where the live charter is asked for. */
  charter: string;
  /** The WebAssembly client, Go's wasm_exec.js, the portal's configuration. */
  wasm: string;
  exec: string;
  config: string;
  /** How long each of them may take, in ms. */
  timeout: number;
}

/** Member.boot. Go reads config, lang, charterTarget, charterHref and
 * receipts (bridge.Boot, bridge/bridge.go). */
export interface Boot {
  /** The language the banner was painted in. Set by embed.js; read by
   * loader.js and Go. */
  lang: string;
  /** A banner action clicked before the loader came (customise), "" for
   * none. Set by embed.js; carried out by loader.js as it starts. */
  pending: string;
  /** The charter's absolute address. Set by embed.js; read by loader.js and
   * Go. */
  charterHref: string;
  /** A selector for the page's live charter element, "" for none. Set by
   * loader.js; read by Go. */
  charterTarget: string;
  /** The receipts' absolute address, "" when the host keeps none. Set by
   * embed.js; read by embed.js, loader.js and Go. */
  receipts: string;
  /** The portal's configuration. Set by loader.js before Go starts; read
   * by Go. */
  config?: string;
}

/** Member.state: the current choice, as get() returns it and
 * PageEvent.change carries it (bridge.Publish writes the same fields). */
export interface State {
  /** The consent id, "" for the platform's choice. */
  id?: string;
  revision?: number;
  /** ISO 8601, to the second, UTC. */
  decidedAt?: string;
  expiresAt?: string;
  /** Every category and purpose key, true when allowed. */
  categories: Record<string, boolean>;
  /** The choice was made on the Opendatasoft platform's banner. */
  platformBanner?: boolean;
  /** No choice, but Global Privacy Control: then only categories is set. */
  gpc?: boolean;
}

/** Member.embed: what embed.js hands the loader. The rules both scripts
 * need that hold no state of their own (the choices of an action, the
 * defaults, the receipt queue, the stylesheets) are modules both import;
 * what is passed is the data only embed.js has, and the one function that
 * stores a choice, which embed.js's banner needs before the loader comes
 * and which owns the cookie's encoding. */
export interface EmbedHandOff {
  portalId: string;
  portal: Portal;
  /** The painted root (Markup.rootId). */
  root: Element;
  /** Resolves a host's path against embed.js's own address. */
  url: (path: string) => string;
  /** Stores a choice as Go does (consent.Portal.Store): the cookie's
   * stale copies deleted, the cookie written, the refused categories'
   * cookies deleted, Member.state, the receipt queued, PageEvent.change
   * (web/embed.js). */
  writeChoice: (choices: Choices) => void;
  /** Runs a held script (web/src/gate.js). Set by loader.js, for
   * integrations.js. */
  runTag?: (el: Element, onload?: () => void) => void;
}

/** A choice: every purpose key (Portal.optional), allowed or not. */
export type Choices = Record<string, boolean>;

/** Switches by purpose key, on or off. */
export type Switches = Record<string, boolean>;

/** What Member.handOver returns (bridge.PageState, bridge/bridge.go). */
export interface HandOver {
  dialogOpen: boolean;
  /** The dialog's switches. */
  draft: Switches;
}

/** A receipt's JSON body (consent.ReceiptRequest; bridge.SendReceipt
 * writes the same fields). */
export interface ReceiptBody {
  consentId: string;
  portal: string;
  revision: number;
  choices: Choices;
  decidedAt: string;
}

/** A receipt waiting under Global.receiptQueue. */
export interface QueuedReceipt {
  /** Where it goes. */
  url: string;
  /** Its JSON body (ReceiptBody). */
  body: string;
}

/** Global.warmUp (bridge.WarmUp, bridge/warmup.go). */
export interface WarmUp {
  config: string;
  lang: string;
  /** The page's address. */
  page: string;
  /** The copies of the consent cookie, as the page's cookie header holds
   * them. */
  cookie: string;
  /** Set by the worker: the stand-in document the warm-up mounts on
   * (bridge.UseStandInDocument). */
  document?: unknown;
  /** Set by Go once its start has run. */
  done?: boolean;
  /** Set by Go when it failed. */
  error?: string;
}
