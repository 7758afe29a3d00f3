package server

import (
	"net/http"
	"strings"
)

// consoleTexts are the texts of the console's pages, in French (the
// portal teams' language) and English.
type consoleTexts struct {
	Lang, Other, OtherName                                 string
	Console, Configurator, Stats, StatsTitle, StatsIntro   string
	Disabled, DisabledHow, NoStore                         string
	Token, Open, WrongToken, TooMany, SignOut              string
	Portal, Since, Until, By, Day, Week, Show, Download    string
	Choices, AcceptAll, Custom, RejectAll, Period, Total   string
	Rates, TooFew, ChartLabel, RatesLabel, Merged, Purpose string
	Failed, NoScript                                       string
	// HowCounted heads Counted, which says how a choice is counted: by
	// what it amounts to, not by the button (consent.Portal.AnswerOf).
	HowCounted string
	Counted    []string
}

var consoleLanguages = map[string]*consoleTexts{
	"fr": {
		Lang: "fr", Other: "en", OtherName: "English",
		Console: "Console du portail", Configurator: "Configurateur", Stats: "Statistiques",
		StatsTitle: "Ce que les visiteurs ont choisi",
		StatsIntro: "Chiffres agrégés tirés des preuves de consentement : aucun identifiant de consentement, et un jour de moins de 5 choix est regroupé avec ses voisins.",
		Disabled:   "Les statistiques sont désactivées sur cet hôte.",
		DisabledHow: "Pour les activer, écrivez un jeton long et aléatoire dans un fichier lisible par l'hôte seul (par exemple : openssl rand -hex 32 > admin-token ; chmod 600 admin-token), " +
			"puis démarrez l'hôte avec -admin-token-file admin-token.",
		NoStore: "Cet hôte ne garde pas de preuves de consentement (-receipts off) : il n'a pas de chiffres à montrer.",
		Token:   "Jeton d'administration", Open: "Ouvrir",
		WrongToken: "Ce jeton n'est pas le bon.", TooMany: "Trop d'essais : réessayez dans une minute.", SignOut: "Se déconnecter",
		Portal: "Portail", Since: "Du", Until: "au (inclus)", By: "Par", Day: "jour", Week: "semaine", Show: "Afficher", Download: "Télécharger en CSV",
		Choices: "Choix", AcceptAll: "Tout accepter", Custom: "Personnalisé", RejectAll: "Tout refuser", Period: "Période", Total: "Total",
		Rates: "Acceptation par finalité", Purpose: "Finalité",
		TooFew:     "Moins de 5 choix sur cette période : rien à montrer.",
		ChartLabel: "Part de chaque réponse, par période ; les chiffres sont dans le tableau.",
		RatesLabel: "Taux d'acceptation de chaque finalité sur la période ; les chiffres sont dans le tableau.",
		Merged:     "regroupé",
		HowCounted: "Comment chaque choix est compté",
		Counted: []string{
			"Chaque choix compte pour ce qu'il donne, quel que soit le bouton :",
			"Tout accepter : toutes les finalités facultatives acceptées, par le bouton du bandeau ou en les activant toutes dans « Personnaliser ».",
			"Tout refuser : toutes refusées (la mesure d'audience exemptée restant active), par « Tout refuser », par « Continuer sans accepter », ou par « Personnaliser » enregistré sans rien activer.",
			"Personnalisé : certaines finalités acceptées, d'autres refusées.",
			"Un choix revu compte une fois de plus, à sa date : les chiffres comptent des choix, pas des visiteurs.",
		},
		Failed:   "Le configurateur n'a pas pu démarrer",
		NoScript: "Le configurateur est une application : il a besoin de JavaScript et de WebAssembly.",
	},
	"en": {
		Lang: "en", Other: "fr", OtherName: "Français",
		Console: "Portal console", Configurator: "Configurator", Stats: "Statistics",
		StatsTitle: "What visitors chose",
		StatsIntro: "Aggregates from the consent receipts: no consent id, and a day of fewer than 5 choices is merged with its neighbours.",
		Disabled:   "Statistics are disabled on this host.",
		DisabledHow: "To enable them, write a long random token to a file only the host can read (for example: openssl rand -hex 32 > admin-token; chmod 600 admin-token), " +
			"then start the host with -admin-token-file admin-token.",
		NoStore: "This host keeps no consent receipts (-receipts off): it has no figures to show.",
		Token:   "Admin token", Open: "Open",
		WrongToken: "This is not the token.", TooMany: "Too many attempts: try again in a minute.", SignOut: "Sign out",
		Portal: "Portal", Since: "From", Until: "to (included)", By: "By", Day: "day", Week: "week", Show: "Show", Download: "Download as CSV",
		Choices: "Choices", AcceptAll: "Accept all", Custom: "Customised", RejectAll: "Reject all", Period: "Period", Total: "Total",
		Rates: "Acceptance by purpose", Purpose: "Purpose",
		TooFew:     "Fewer than 5 choices over this period: nothing to show.",
		ChartLabel: "Share of each answer, by period; the figures are in the table.",
		RatesLabel: "Acceptance rate of each purpose over the period; the figures are in the table.",
		Merged:     "merged",
		HowCounted: "How each choice is counted",
		Counted: []string{
			"A choice counts for what it amounts to, whichever button made it:",
			"Accept all: every optional purpose accepted, by the banner's button or by switching them all on in \"Customise\".",
			"Reject all: every one refused (exempt audience measurement staying on), by \"Reject all\", by \"Continue without accepting\", or by \"Customise\" saved with nothing on.",
			"Customised: some purposes accepted, others refused.",
			"A choice made again counts once more, on its date: the figures count choices, not visitors.",
		},
		Failed:   "The configurator could not start",
		NoScript: "The configurator is an application: it needs JavaScript and WebAssembly.",
	},
}

// consoleLanguage picks the console's language: ?lang=, else the browser's
// first of French and English, else French.
func consoleLanguage(r *http.Request) *consoleTexts {
	if t, ok := consoleLanguages[r.URL.Query().Get("lang")]; ok {
		return t
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if t, ok := consoleLanguages[base]; ok {
			return t
		}
	}
	return consoleLanguages["fr"]
}
