package consent

// Switches are the positions of the switches of the preferences dialog
// and of the live charter, by purpose key and by category id. A category
// that lists services has a switch of its own, on when all its services
// are, turning them all on or off. The page's switches before Go runs
// are held to the same rules by a shared table (testdata/switches.json).
type Switches map[string]bool

// Switches returns each switch as stored (nil before any choice) sets
// it: necessary categories on, the others off unless accepted; before any
// choice, exempt audience measurement on.
func (p *Portal) Switches(stored *Choice) Switches {
	on := Switches{}
	for _, cat := range p.Categories {
		on[cat.ID] = cat.Required
	}
	for _, pu := range p.Purposes() {
		if stored != nil {
			on[pu.Key] = stored.Accepted[pu.Key]
		} else {
			on[pu.Key] = pu.Category.AllowedByDefault()
		}
	}
	p.syncCategories(on)
	return on
}

// SetSwitch turns the switch of a purpose or of a whole category (all its
// services) on or off.
func (p *Portal) SetSwitch(on Switches, key string, value bool) {
	on[key] = value
	if cat, ok := p.Category(key); ok {
		for _, s := range cat.Services {
			on[ServiceKey(cat, s)] = value
		}
	}
	p.syncCategories(on)
}

// KeepSwitches sets the switches of on as the visitor left them on the
// page, by purpose key (other keys are ignored).
func (p *Portal) KeepSwitches(on Switches, left map[string]bool) {
	for _, pu := range p.Purposes() {
		if v, ok := left[pu.Key]; ok {
			on[pu.Key] = v
		}
	}
	p.syncCategories(on)
}

// syncCategories sets the switch of each category that lists services: on
// when all its services are.
func (p *Portal) syncCategories(on Switches) {
	for _, cat := range p.Categories {
		if len(cat.Services) == 0 {
			continue
		}
		all := true
		for _, s := range cat.Services {
			all = all && on[ServiceKey(cat, s)]
		}
		on[cat.ID] = all
	}
}
