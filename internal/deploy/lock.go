package deploy

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/cronbridge/cronbridge/internal/escape"
)

// The deploy lock. Two deploys of one tracking id must not interleave:
// each plans against what it observed, and one's --keep can deregister
// the revision the other is pointing its targets at.
//
// The lock is an EventBridge event bus named after the tracking id.
// CreateEventBus is atomic and fails with ResourceAlreadyExistsException
// when the bus exists, which is the compare-and-set a lock needs, and it
// needs no other service or permission than the ones deploy already uses
// (EventBridge has no conditional write on rules: PutRule is an upsert).
// The bus gets no rules, so it never receives or costs anything. Its
// description records the holder and when the lock expires:
//
//	cronbridge deploy lock; holder=<who>; acquired=<RFC 3339>; expires=<RFC 3339>
//
// A lock past its expiry is stale: its holder crashed or was killed
// without releasing it. It is broken (deleted) with a message that names
// the holder. Breaking is not atomic: two deploys that find the same stale
// lock at the same moment can both break it; the TTL is therefore long
// (LockTTL, default 30 minutes) compared with a deploy (seconds).

const (
	// DefaultLockTTL is how long a lock is valid without being released.
	DefaultLockTTL = 30 * time.Minute
	// defaultLockPoll is how often a waiting deploy retries.
	defaultLockPoll = 5 * time.Second
	lockBusPrefix   = "cronbridge-lock-"
	lockDescPrefix  = "cronbridge deploy lock"
)

// LockOptions tune the lock.
type LockOptions struct {
	// Timeout is how long to wait for a lock another deploy holds; 0
	// fails at once.
	Timeout time.Duration
	// TTL is written into the lock; after it the lock counts as stale.
	TTL time.Duration
	// Poll is the wait between attempts (default 5 s).
	Poll time.Duration
	// Holder names this deploy in the lock (for example the CI run URL);
	// a random suffix makes it unique per run.
	Holder string
	// Logf receives progress lines: waiting, stale lock broken.
	Logf func(format string, args ...any)
	// Now is the clock (tests); nil is time.Now.
	Now func() time.Time
}

// LockName is the lock bus of a tracking id: readable, within the
// 256-character bus-name limit and free of '/', which bus names refuse,
// with a hash of the exact id so that ids differing only in replaced
// characters get different locks.
func LockName(trackingID string) string {
	sum := sha256.Sum256([]byte(trackingID))
	base := sanitize(trackingID)
	if len(base) > 200 {
		base = base[:200]
	}
	return lockBusPrefix + base + "-" + hex.EncodeToString(sum[:4])
}

// Lock is a held deploy lock.
type Lock struct {
	Name   string
	holder string
	ev     EventsAPI
	logf   func(format string, args ...any)
	// Broke names the stale lock this deploy broke, if any.
	Broke string
}

type lockInfo struct {
	holder            string
	acquired, expires time.Time
}

func (l lockInfo) String() string {
	return fmt.Sprintf("held by %s since %s", escape.Control(l.holder), l.acquired.UTC().Format(time.RFC3339))
}

// ErrLocked is returned when the lock stays held for the whole timeout.
var ErrLocked = errors.New("deploy lock held by another deploy")

// AcquireLock takes the lock of trackingID, waiting up to o.Timeout while
// another deploy holds it and breaking it when it is stale.
func AcquireLock(ctx context.Context, ev EventsAPI, trackingID string, o LockOptions) (*Lock, error) {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	if o.TTL <= 0 {
		o.TTL = DefaultLockTTL
	}
	if o.Poll <= 0 {
		o.Poll = defaultLockPoll
	}
	logf := o.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	var nonce [6]byte
	_, _ = rand.Read(nonce[:]) // never fails (crypto/rand)
	holder := o.Holder
	if holder == "" {
		holder = "cronbridge"
	}
	holder = strings.NewReplacer(";", ",", "=", ":").Replace(holder) + " #" + hex.EncodeToString(nonce[:])
	l := &Lock{Name: LockName(trackingID), holder: holder, ev: ev, logf: logf}
	deadline := now().Add(o.Timeout)
	waited := false
	for {
		t := now()
		desc := fmt.Sprintf("%s; holder=%s; acquired=%s; expires=%s", lockDescPrefix, holder, t.UTC().Format(time.RFC3339), t.Add(o.TTL).UTC().Format(time.RFC3339))
		if len(desc) > 512 {
			desc = desc[:512]
		}
		_, err := ev.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String(l.Name), Description: aws.String(desc)})
		if err == nil {
			return l, nil
		}
		if apiErrorCode(err) != "ResourceAlreadyExistsException" {
			// The bus may exist anyway (a lost response): release it if
			// it is ours, so that the next deploy does not wait for it.
			if rerr := l.Release(context.WithoutCancel(ctx)); rerr != nil {
				return nil, errors.Join(fmt.Errorf("take deploy lock %s: %w", l.Name, err), rerr)
			}
			return nil, fmt.Errorf("take deploy lock %s: %w", l.Name, err)
		}
		info, err := l.describe(ctx)
		if errors.Is(err, errLockGone) {
			continue // released between the two calls: try again at once
		}
		if err != nil {
			return nil, err
		}
		if info.holder == holder {
			return l, nil // our own create, whose response was lost
		}
		if !info.expires.IsZero() && now().After(info.expires) {
			logf("deploy lock %s is stale (%s, expired %s): breaking it", l.Name, info, info.expires.UTC().Format(time.RFC3339))
			if _, err := ev.DeleteEventBus(ctx, &eventbridge.DeleteEventBusInput{Name: aws.String(l.Name)}); err != nil {
				return nil, fmt.Errorf("break stale deploy lock %s: %w", l.Name, err)
			}
			l.Broke = info.String()
			continue
		}
		if !now().Before(deadline) {
			return nil, fmt.Errorf("%w: %s is %s (expires %s); waited %s (--lock-timeout); if no deploy is running, delete the event bus %s",
				ErrLocked, l.Name, info, info.expires.UTC().Format(time.RFC3339), o.Timeout, l.Name)
		}
		if !waited {
			logf("deploy lock %s is %s: waiting up to %s", l.Name, info, o.Timeout)
			waited = true
		}
		wait := min(o.Poll, deadline.Sub(now()))
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%w while waiting for deploy lock %s: %v", ErrInterrupted, l.Name, ctx.Err())
		case <-time.After(wait):
		}
	}
}

var errLockGone = errors.New("lock released")

func (l *Lock) describe(ctx context.Context) (lockInfo, error) {
	out, err := l.ev.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{Name: aws.String(l.Name)})
	if apiErrorCode(err) == "ResourceNotFoundException" {
		return lockInfo{}, errLockGone
	}
	if err != nil {
		return lockInfo{}, fmt.Errorf("read deploy lock %s: %w", l.Name, err)
	}
	info := parseLock(aws.ToString(out.Description))
	if info.acquired.IsZero() && out.CreationTime != nil {
		info.acquired = *out.CreationTime
	}
	if info.expires.IsZero() {
		// Not written by cronbridge's format: fall back on the bus's age.
		info.expires = info.acquired.Add(DefaultLockTTL)
	}
	return info, nil
}

func parseLock(desc string) lockInfo {
	var info lockInfo
	if !strings.HasPrefix(desc, lockDescPrefix) {
		return info
	}
	for _, f := range strings.Split(desc, "; ") {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "holder":
			info.holder = v
		case "acquired":
			info.acquired, _ = time.Parse(time.RFC3339, v)
		case "expires":
			info.expires, _ = time.Parse(time.RFC3339, v)
		}
	}
	return info
}

// Release deletes the lock if this deploy still holds it. Callers pass a
// context that is not cancelled, so that an interrupted deploy still
// releases. Deleting is retried a few times: a lock left behind blocks
// every deploy until it expires.
func (l *Lock) Release(ctx context.Context) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if attempt > 0 {
			time.Sleep(time.Duration(attempt) * 200 * time.Millisecond)
		}
		var info lockInfo
		info, err = l.describe(ctx)
		if errors.Is(err, errLockGone) {
			return nil
		}
		if err != nil {
			continue
		}
		if info.holder != l.holder {
			// Not ours: broken as stale while this deploy ran (it ran
			// longer than the TTL), or never taken.
			if l.logf != nil {
				l.logf("deploy lock %s is now %s, not this deploy's: left in place", l.Name, info)
			}
			return nil
		}
		if _, err = l.ev.DeleteEventBus(ctx, &eventbridge.DeleteEventBusInput{Name: aws.String(l.Name)}); err == nil {
			return nil
		}
	}
	return fmt.Errorf("release deploy lock %s: %w (it expires by itself; or delete the event bus %s)", l.Name, err, l.Name)
}
