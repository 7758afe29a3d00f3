// Package portals ships the configurations of the portals the product was
// built with: Pau (the default) and Aveyron, both transcribed from their
// published "Charte cookies". They double as examples of the format that
// README.md in this directory documents.
package portals

import (
	"embed"
	"fmt"
	"io/fs"

	"github.com/opendata-consent/consent/consent"
)

//go:embed *.json
var files embed.FS

// DefaultID is the portal served when no configuration is given.
const DefaultID = "pau"

// Builtin returns the shipped portals, the default first.
func Builtin() ([]*consent.Portal, error) {
	names, err := fs.Glob(files, "*.json")
	if err != nil {
		return nil, err
	}
	var portals []*consent.Portal
	var paths []string
	for _, name := range names {
		data, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		p, err := consent.Parse("portals/"+name, data)
		if err != nil {
			return nil, fmt.Errorf("built-in configuration: %w", err)
		}
		if p.ID == DefaultID {
			portals = append([]*consent.Portal{p}, portals...)
			paths = append([]string{"portals/" + name}, paths...)
		} else {
			portals = append(portals, p)
			paths = append(paths, "portals/"+name)
		}
	}
	if err := consent.CheckTogether(portals, paths); err != nil {
		return nil, fmt.Errorf("built-in configuration: %w", err)
	}
	if err := CheckCookieDomains(portals, paths); err != nil {
		return nil, fmt.Errorf("built-in configuration: %w", err)
	}
	return portals, nil
}
