package schedule

import (
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

func TestConverterMatchesConvert(t *testing.T) {
	tokyo := mustZone(t, "Asia/Tokyo")
	kolkata := mustZone(t, "Asia/Kolkata")
	var c Converter
	for _, spec := range []string{"30 4 1,15 * 5", "0 8 1 * *", "0 12 */2 * 1", "0 0 30 2 *", "30 4 1,15 * 5"} {
		for _, z := range []*time.Location{tokyo, kolkata} {
			want, err := Convert(testEntry(t, spec), z)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 2; i++ { // miss, then hit
				got, err := c.Convert(testEntry(t, spec), z)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s in %s (call %d): %+v, want %+v", spec, z, i, got, want)
				}
			}
		}
	}
	// Same schedule, different zones: different results, not a stale hit.
	a, _ := c.Convert(testEntry(t, "0 8 * * *"), tokyo)
	b, _ := c.Convert(testEntry(t, "0 8 * * *"), kolkata)
	if reflect.DeepEqual(a.Rules, b.Rules) {
		t.Errorf("zones share a cache entry: %v", a.Rules)
	}
}

func TestConverterResultsAreCopies(t *testing.T) {
	var c Converter
	tokyo := mustZone(t, "Asia/Tokyo")
	r1, _ := c.Convert(testEntry(t, "30 4 1,15 * 5"), tokyo)
	r1.Findings[0].Pos = crontab.Pos{File: "x", Line: 9, Col: 1}
	r1.Rules[0].Expression = "changed"
	r2, _ := c.Convert(testEntry(t, "30 4 1,15 * 5"), tokyo)
	if r2.Findings[0].Pos != (crontab.Pos{}) || r2.Rules[0].Expression == "changed" {
		t.Errorf("caller's edits leaked into the cache: %+v", r2)
	}
}

func TestConverterConcurrent(t *testing.T) {
	var c Converter
	tokyo := mustZone(t, "Asia/Tokyo")
	specs := []string{"0 8 1 * *", "30 4 1,15 * 5", "0 3 * * 0-4", "*/10 * 1 * *"}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				if _, err := c.Convert(testEntry(t, specs[(g+i)%len(specs)]), tokyo); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
}

func TestConverterReboot(t *testing.T) {
	var c Converter
	r, err := c.Convert(&crontab.Entry{Raw: "@reboot x", Reboot: true, Valid: true}, nil)
	if err != nil || len(r.Findings) != 1 || r.Findings[0].Code != CodeReboot {
		t.Errorf("%+v %v", r, err)
	}
}
