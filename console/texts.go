package console

// Texts are the configurator's own texts in one language.
type Texts struct {
	Console, Configurator, Stats, Title, Intro      string
	Open, OpenHost, OpenFile, DropHint, New, Opened string
	Download, DownloadBlocked, Valid, ErrorIn, GoTo string
	PreviewStale, NoPreview                         string
	// MoreErrors counts the errors after the first (%d).
	MoreErrors                                                    string
	RevisionChanged, RaiseRevision, RevisionRaised                string
	Add, Remove, Enabled, ListHint, ParagraphsHint, LanguagesHint string
	Preview, Language, View, Theme, Light, Dark, Phone, Desktop   string
	ViewBanner, ViewPreferences, ViewCharter, PreviewOf           string
	NotJSON, Fetching, Sections                                   string
	// Colon joins a lead to what follows it: French spaces it.
	Colon string
	// Labels name the form's fields by their JSON names.
	Labels map[string]string
}

// Language returns the texts in lang, French unless lang is "en".
func Language(lang string) *Texts {
	if lang == "en" {
		return &english
	}
	return &french
}

var french = Texts{
	Console: "Console du portail", Configurator: "Configurateur", Stats: "Statistiques",
	Title: "Configurer un portail",
	Intro: "Modifiez la configuration d'un portail : chaque erreur s'affiche à côté de son champ, dans les mots du validateur de l'hôte, et l'aperçu montre ce que verront les visiteurs. Rien n'est écrit sur l'hôte : téléchargez le fichier, versionnez-le et redémarrez l'hôte.",
	Open:  "Ouvrir", OpenHost: "Une configuration de l'hôte", OpenFile: "Un fichier JSON", DropHint: "ou déposez-le ici",
	New: "Nouvelle configuration", Opened: "Configuration ouverte :",
	Download: "Télécharger", DownloadBlocked: "Corrigez les erreurs pour télécharger un fichier que l'hôte acceptera.",
	PreviewStale: "L'aperçu montre la dernière version valide : corrigez les erreurs pour y voir votre modification.",
	NoPreview:    "L'aperçu s'affichera dès que la configuration sera valide.",
	MoreErrors:   "Et %d autres, chacune à côté de son champ :",
	Valid:        "Configuration valide : l'hôte l'acceptera au démarrage.", ErrorIn: "Erreur dans", GoTo: "Aller au champ",
	RevisionChanged: "Les cookies ou les finalités ont changé : les visiteurs doivent être interrogés de nouveau.",
	RaiseRevision:   "Passer à la révision %d", RevisionRaised: "Révision relevée : les visiteurs seront interrogés de nouveau.",
	Add: "Ajouter", Remove: "Supprimer", Enabled: "Activé",
	ListHint: "Séparés par des virgules", ParagraphsHint: "Un paragraphe par ligne", LanguagesHint: "Codes de langue séparés par des virgules, la langue par défaut d'abord (fr, en)",
	Preview: "Aperçu", Language: "Langue", View: "Vue", Theme: "Thème", Light: "clair", Dark: "sombre", Phone: "Téléphone", Desktop: "Ordinateur",
	ViewBanner: "Bandeau", ViewPreferences: "Préférences", ViewCharter: "Charte", PreviewOf: "Aperçu %s, %s, %s",
	NotJSON: "Ce fichier n'est pas une configuration lisible", Fetching: "Chargement…", Sections: "Sections du formulaire", Colon: "\u00a0: ",
	Labels: map[string]string{
		"id": "Identifiant", "revision": "Révision", "name": "Nom", "address": "Adresse du portail", "charterURL": "Adresse de la charte du portail", "cookieDomain": "Domaine où le choix vaut (vos sous-domaines)", "cookieScope": "Où le choix vaut (%s : le domaine)", "revisedAt": "Date de la révision",
		"languages": "Langues", "lifetime": "Durées de conservation du choix", "consentDays": "Consentement (jours)", "refusalDays": "Refus (jours)",
		"categories": "Catégories", "required": "Nécessaire (toujours active)", "exempt": "Mesure d'audience exemptée", "ownAudienceOnly": "Mesure la seule audience du portail",
		"description": "Description", "cookies": "Cookies", "services": "Services", "provider": "Fournisseur", "service": "Service", "purpose": "Finalité",
		"duration": "Durée", "maxAgeDays": "Durée maximale (jours)", "justification": "Justification",
		"consentMode": "Google Consent Mode", "ignoreGlobalPrivacyControl": "Ignorer Global Privacy Control",
		"opendatasoft": "Opendatasoft", "trackers": "Traceurs de la plateforme", "honourEarlierConsent": "Respecter un consentement donné sur le bandeau de la plateforme",
		"integrations": "Intégrations", "matomo": "Matomo", "piano": "Piano Analytics", "clarity": "Microsoft Clarity", "mode": "Mode", "api": "API",
		"texts": "Textes", "banner": "Bandeau", "preferences": "Préférences", "table": "Tableau des cookies", "placeholder": "Contenu bloqué", "charter": "Charte",
		"title": "Titre", "body": "Texte", "acceptAll": "Tout accepter", "rejectAll": "Tout refuser", "customise": "Personnaliser", "continueWithout": "Continuer sans accepter",
		"charterLink": "Lien vers la charte", "intro": "Introduction", "save": "Enregistrer", "close": "Fermer", "alwaysOn": "Toujours actif",
		"showCookies": "Voir les cookies", "noCookies": "Aucun cookie", "saved": "Enregistré", "gpc": "Global Privacy Control",
		"accept": "Autoriser", "sections": "Sections", "heading": "Titre de section", "paragraphs": "Paragraphes", "usage": "Usage",
		"yourChoice": "Votre choix", "noChoice": "Aucun choix", "decidedOn": "Décidé le", "consentId": "Identifiant de consentement",
		"platformBanner": "Bandeau de la plateforme", "accepted": "Accepté", "refused": "Refusé", "manageLink": "Gérer mes cookies",
		"withdraw": "Retirer", "javascriptNeeded": "JavaScript nécessaire", "dateLayout": "Format de date", "backToPortal": "Retour au portail",
	},
}

var english = Texts{
	Console: "Portal console", Configurator: "Configurator", Stats: "Statistics",
	Title: "Configure a portal",
	Intro: "Edit a portal's configuration: each error shows next to its field, in the words of the host's validator, and the preview shows what visitors will see. Nothing is written on the host: download the file, commit it and restart the host.",
	Open:  "Open", OpenHost: "A configuration of the host", OpenFile: "A JSON file", DropHint: "or drop it here",
	New: "New configuration", Opened: "Open configuration:",
	Download: "Download", DownloadBlocked: "Fix the errors to download a file the host will accept.",
	PreviewStale: "The preview shows the last valid version: fix the errors to see your change.",
	NoPreview:    "The preview shows once the configuration is valid.",
	MoreErrors:   "And %d more, each next to its field:",
	Valid:        "Valid configuration: the host will accept it at start-up.", ErrorIn: "Error in", GoTo: "Go to the field",
	RevisionChanged: "The cookies or the purposes changed: visitors must be asked again.",
	RaiseRevision:   "Raise to revision %d", RevisionRaised: "Revision raised: visitors will be asked again.",
	Add: "Add", Remove: "Remove", Enabled: "Enabled",
	ListHint: "Separated by commas", ParagraphsHint: "One paragraph a line", LanguagesHint: "Language codes separated by commas, the default first (fr, en)",
	Preview: "Preview", Language: "Language", View: "View", Theme: "Theme", Light: "light", Dark: "dark", Phone: "Phone", Desktop: "Desktop",
	ViewBanner: "Banner", ViewPreferences: "Preferences", ViewCharter: "Charter", PreviewOf: "Preview %s, %s, %s",
	NotJSON: "This file is not a readable configuration", Fetching: "Loading…", Sections: "The form's sections", Colon: ": ",
	Labels: map[string]string{
		"id": "Id", "revision": "Revision", "name": "Name", "address": "Portal address", "charterURL": "Portal's charter address", "cookieDomain": "Domain where the choice holds (your subdomains)", "cookieScope": "Where the choice holds (%s: the domain)", "revisedAt": "Revision date",
		"languages": "Languages", "lifetime": "How long a choice is kept", "consentDays": "Consent (days)", "refusalDays": "Refusal (days)",
		"categories": "Categories", "required": "Necessary (always on)", "exempt": "Exempt audience measurement", "ownAudienceOnly": "Measures the portal's own audience only",
		"description": "Description", "cookies": "Cookies", "services": "Services", "provider": "Provider", "service": "Service", "purpose": "Purpose",
		"duration": "Duration", "maxAgeDays": "Maximum age (days)", "justification": "Justification",
		"consentMode": "Google Consent Mode", "ignoreGlobalPrivacyControl": "Ignore Global Privacy Control",
		"opendatasoft": "Opendatasoft", "trackers": "Platform trackers", "honourEarlierConsent": "Honour a consent given on the platform's banner",
		"integrations": "Integrations", "matomo": "Matomo", "piano": "Piano Analytics", "clarity": "Microsoft Clarity", "mode": "Mode", "api": "API",
		"texts": "Texts", "banner": "Banner", "preferences": "Preferences", "table": "Cookie table", "placeholder": "Blocked content", "charter": "Charter",
		"title": "Title", "body": "Text", "acceptAll": "Accept all", "rejectAll": "Reject all", "customise": "Customise", "continueWithout": "Continue without accepting",
		"charterLink": "Charter link", "intro": "Introduction", "save": "Save", "close": "Close", "alwaysOn": "Always on",
		"showCookies": "Show cookies", "noCookies": "No cookies", "saved": "Saved", "gpc": "Global Privacy Control",
		"accept": "Allow", "sections": "Sections", "heading": "Section heading", "paragraphs": "Paragraphs", "usage": "Usage",
		"yourChoice": "Your choice", "noChoice": "No choice", "decidedOn": "Decided on", "consentId": "Consent id",
		"platformBanner": "Platform banner", "accepted": "Accepted", "refused": "Refused", "manageLink": "Manage my cookies",
		"withdraw": "Withdraw", "javascriptNeeded": "JavaScript needed", "dateLayout": "Date layout", "backToPortal": "Back to the portal",
	},
}
