package schedule

import (
	"slices"
	"sync"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// Converter memoizes Convert by (schedule, zone): real crontabs repeat a
// handful of schedules many times. It is safe for concurrent use; the zero
// value is ready to use.
type Converter struct {
	mu    sync.Mutex
	cache map[convKey]Result
}

type convKey struct {
	s      crontab.Schedule
	zone   string
	offset int // distinguishes fixed zones that share a name
}

// Convert is Convert with memoization. Entries that are not converted by
// schedule (@reboot, invalid entries) and verifier failures are not cached.
func (c *Converter) Convert(e *crontab.Entry, loc *time.Location) (Result, error) {
	if loc == nil {
		loc = time.UTC
	}
	if e.Reboot || !e.Valid {
		return Convert(e, loc)
	}
	off := zoneOffset(loc)
	k := convKey{s: e.Schedule, zone: loc.String(), offset: off}
	c.mu.Lock()
	r, ok := c.cache[k]
	c.mu.Unlock()
	if ok {
		return copyResult(r), nil
	}
	r, err := Convert(e, loc)
	if err != nil {
		return r, err
	}
	c.mu.Lock()
	if c.cache == nil {
		c.cache = map[convKey]Result{}
	}
	c.cache[k] = r
	c.mu.Unlock()
	return copyResult(r), nil
}

// copyResult keeps callers (who fill in finding positions) from writing
// into the cached slices.
func copyResult(r Result) Result {
	r.Rules = slices.Clone(r.Rules)
	r.Findings = slices.Clone(r.Findings)
	return r
}
