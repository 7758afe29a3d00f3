package receipts

import "context"

// Levels is the number of migrations: the level of a store Open migrated.
var Levels = len(migrations)

// OpenAtLevel opens the store named by dsn with its schema migrated up to
// level migrations only, as an older release left it (and opens it, as
// that release does, without migrating a newer schema back).
func OpenAtLevel(ctx context.Context, dsn string, level int) (*Store, error) {
	return open(ctx, dsn, level)
}
