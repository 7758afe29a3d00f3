package consent

import (
	"fmt"
	"strings"
)

// ConfigError says which file, which field and what is wrong, in English
// (Error) or in the reader's language (In): the validator speaks to a
// portal team in the console's language and to an operator in the host's.
type ConfigError struct {
	File    string
	Field   string
	Problem string
	// Lang is the configuration's first language, when it has a valid
	// one: the language its team writes in, which the host's start-up
	// error uses unless told another (-lang).
	Lang string
	// format and args are the problem before it was written out, for In
	// to write it in another language.
	format string
	args   []any
}

// problem is the error at field: format and args as fmt.Sprintf takes
// them, in English; french has their translation.
func problem(field, format string, args ...any) *ConfigError {
	return &ConfigError{Field: field, Problem: fmt.Sprintf(format, args...), format: format, args: args}
}

// Problem is a validator's error at field, for code outside the package
// that checks a field of its own (the console's form). Its format must be
// one the package translates.
//
//	consent.Problem("revision", "%q is not a whole number", "deux")
func Problem(field, format string, args ...any) *ConfigError {
	return problem(field, format, args...)
}

func (e *ConfigError) Error() string { return e.In("en") }

// In returns the error in lang: French for "fr", English otherwise, as
// "file: field: problem" with the parts that are known.
func (e *ConfigError) In(lang string) string {
	parts := make([]string, 0, 3)
	for _, s := range []string{e.File, e.Field, e.ProblemIn(lang)} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ": ")
}

// ProblemIn is the problem alone in lang, for a reader who sees its field
// beside it.
func (e *ConfigError) ProblemIn(lang string) string {
	if lang == "fr" {
		if f, ok := french[e.format]; ok {
			return fmt.Sprintf(f, e.args...)
		}
	}
	return e.Problem
}

// french translates every format the validator writes; a test walks the
// package's sources for each call of problem and add and fails on a
// format missing here, or one whose verbs differ.
var french = map[string]string{
	// The file.
	"unexpected data after the configuration object":      "des données suivent l'objet de la configuration",
	"portal %q is already defined in %s":                  "le portail %q est déjà défini dans %s",
	"invalid JSON at line %d, column %d: %v":              "JSON invalide ligne %d, colonne %d : %v",
	"%s: expected %s, got a JSON %s (line %d, column %d)": "%s : %s attendu, %s JSON trouvé (ligne %d, colonne %d)",
	"empty file":     "fichier vide",
	"truncated JSON": "JSON tronqué",
	"%v":             "%v",

	// The portal.
	"%q must be 1 to 40 lower-case letters, digits, '-' or '_', starting with a letter":                                          "%q doit faire de 1 à 40 caractères : lettres minuscules, chiffres, « - » ou « _ », en commençant par une lettre",
	"must be a whole number from 1 up, got %d":                                                                                   "doit être un nombre entier à partir de 1, et non %d",
	"%q must be a day such as 2026-11-01":                                                                                        "%q doit être une date comme 2026-11-01",
	"%s is in the future: receipts of the choices made until then would be refused; set it on the day the revision takes effect": "%s est dans le futur : les preuves des choix faits d'ici là seraient refusées ; indiquez le jour où la révision prend effet",
	"list at least one language, the default first (e.g. [\"fr\", \"en\"])":                                                      "indiquez au moins une langue, celle par défaut en premier (par exemple [\"fr\", \"en\"])",
	"%q is not a two- or three-letter language code":                                                                             "%q n'est pas un code de langue de deux ou trois lettres",
	"%q is listed twice":                                                                        "%q est indiqué deux fois",
	"language %q is not in \"languages\"":                                                       "la langue %q n'est pas dans « languages »",
	"missing: every language in \"languages\" needs its texts":                                  "manquant : chaque langue de « languages » a besoin de ses textes",
	"%q must name the service once, as %%s (e.g. \"Autoriser %%s et afficher le contenu\")":     "%q doit nommer le service une fois, par %%s (par exemple « Autoriser %%s et afficher le contenu »)",
	"%q is not a Go date layout (write the 2 January 2006 reference date, e.g. \"02/01/2006\")": "%q n'est pas un format de date Go (écrivez la date de référence du 2 janvier 2006, par exemple « 02/01/2006 »)",
	"%q names the portal %q: write this portal's own texts":                                     "%q nomme le portail %q : écrivez les textes de ce portail-ci",

	// Lifetimes.
	"%d days: a choice is kept from 1 day to %d days (13 months, the CNIL's limit)":               "%d jours : un choix est conservé de 1 à %d jours (13 mois, la limite de la CNIL)",
	"%d days is shorter than consentDays (%d): a refusal must be remembered as long as a consent": "%d jours, c'est moins que consentDays (%d) : un refus doit être conservé aussi longtemps qu'un consentement",

	// Categories, services, cookies.
	"the first category must be the necessary one (\"required\": true)":               "la première catégorie doit être celle des cookies nécessaires (\"required\": true)",
	"the necessary category must list %q, the cookie that keeps the visitor's choice": "la catégorie nécessaire doit lister %q, le cookie qui garde le choix du visiteur",
	"%q must be lower-case letters, digits, '-' or '_', starting with a letter":       "%q doit être fait de lettres minuscules, de chiffres, de « - » ou « _ », en commençant par une lettre",
	"category %q is defined twice":                                                    "la catégorie %q est définie deux fois",
	"a necessary category needs no exemption":                                         "une catégorie nécessaire n'a pas besoin d'exemption",
	"the CNIL exempts audience measurement only when it serves the portal's own audience (no combination with other data, no transfer): set it to true once that holds, or remove \"exempt\"": "la CNIL n'exempte la mesure d'audience que si elle sert la seule audience du portail (ni croisement avec d'autres données, ni transfert) : mettez-le à true quand c'est le cas, ou retirez « exempt »",
	"list the cookies of the exempt audience measurement, with their maxAgeDays":                                                                                                              "listez les cookies de la mesure d'audience exemptée, avec leur maxAgeDays",
	"necessary cookies need no consent, service by service or otherwise":                                                                                                                      "les cookies nécessaires ne demandent aucun consentement, ni service par service ni autrement",
	"%q must be a new id of lower-case letters, digits, '-' or '_', starting with a letter":                                                                                                   "%q doit être un nouvel identifiant fait de lettres minuscules, de chiffres, de « - » ou « _ », en commençant par une lettre",
	"%q is not a valid cookie name":                     "%q n'est pas un nom de cookie valide",
	"%q: \"*\" may only end a name, as in \"_pk_id.*\"": "%q : « * » ne peut que terminer un nom, comme dans « _pk_id.* »",
	"cookie %q is already listed in category %q":        "le cookie %q est déjà listé dans la catégorie %q",
	"missing or empty":                                  "manquant ou vide",
	"%d: a cookie of exempt audience measurement lives from 1 to %d days (13 months, the CNIL's limit)": "%d : un cookie de mesure d'audience exemptée vit de 1 à %d jours (13 mois, la limite de la CNIL)",
	"missing: a necessary cookie says why it needs no consent (csrftoken: security)":                    "manquant : un cookie nécessaire dit pourquoi il ne demande pas de consentement (csrftoken : sécurité)",
	"%d characters: at most %d":                                  "%d caractères : au plus %d",
	"missing or empty: every language in \"languages\" needs it": "manquant ou vide : chaque langue de « languages » en a besoin",

	// Addresses.
	"%q: a URL has no %q (write it percent-encoded)": "%q : une URL ne contient pas de %q (encodez-le avec des %%)",
	"%q is not a URL: %v":                            "%q n'est pas une URL : %v",
	"%q must be an http:// or https:// address":      "%q doit être une adresse http:// ou https://",
	"%q is not a domain":                             "%q n'est pas un nom de domaine",
	"%q must name the domain once, as %%s (e.g. \"Ce choix vaut pour tous les sites de %%s.\")": "%q doit nommer le domaine une fois, par %%s (par exemple « Ce choix vaut pour tous les sites de %%s. »)",
	"%q is a public suffix, shared by sites of other owners: name your own domain, such as %q":  "%q est un suffixe public, partagé par des sites d'autres propriétaires : indiquez votre propre domaine, comme %q",
	"%q is not %q nor a domain above it: the browser would refuse the cookie":                   "%q n'est ni %q ni un domaine au-dessus : le navigateur refuserait le cookie",

	// Consent Mode, Opendatasoft, integrations.
	"not a Consent Mode signal (one of %v)":                    "pas un signal du Consent Mode (l'un de %v)",
	"list the categories that grant it, e.g. [\"statistics\"]": "listez les catégories qui l'accordent, par exemple [\"statistics\"]",
	"no category %q": "pas de catégorie %q",
	"%q is necessary: map signals to the categories a visitor accepts":               "%q est nécessaire : associez les signaux aux catégories qu'un visiteur accepte",
	"%q is not a key Opendatasoft reads; the keys are %q":                            "%q n'est pas une clé que lit Opendatasoft ; les clés sont %q",
	"%q is not an optional category or a service (\"video/youtube\") of this portal": "%q n'est ni une catégorie facultative ni un service (« video/youtube ») de ce portail",
	"%q is not %q (cookieless before consent) or %q (nothing sent before consent)":   "%q n'est ni %q (sans cookie avant le consentement) ni %q (rien d'envoyé avant le consentement)",
	"%q is not %q (SDK 6.8 and later) or %q (earlier SDKs)":                          "%q n'est ni %q (SDK 6.8 et suivants) ni %q (SDK antérieurs)",
	"%q is not an optional category or service of this portal (one of %v)":           "%q n'est ni une catégorie facultative ni un service de ce portail (l'un de %v)",

	// The console's form.
	"%q is not a whole number": "%q n'est pas un nombre entier",
}
