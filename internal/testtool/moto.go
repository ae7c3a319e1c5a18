package testtool

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"time"
)

// Moto is a moto server started for a test binary on a free loopback port.
type Moto struct {
	// URL is the endpoint (http://127.0.0.1:PORT).
	URL string
	cmd *exec.Cmd
	log *bytes.Buffer
}

// StartMoto starts bin (moto_server) on a free loopback port and waits
// until it answers, up to a minute. The packages whose tests talk to AWS
// share it, so there is one way to start the emulator.
func StartMoto(bin string) (*Moto, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("free port: %w", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	m := &Moto{URL: "http://127.0.0.1:" + strconv.Itoa(port), log: &bytes.Buffer{}}
	m.cmd = exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	m.cmd.Stdout, m.cmd.Stderr = m.log, m.log
	if err := m.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start moto_server: %w", err)
	}
	for deadline := time.Now().Add(60 * time.Second); ; {
		resp, err := http.Get(m.URL + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return m, nil
		}
		if time.Now().After(deadline) {
			m.Stop()
			return nil, fmt.Errorf("moto_server did not start: %v\n%s", err, m.log.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Stop ends the server.
func (m *Moto) Stop() {
	_ = m.cmd.Process.Kill()
	_ = m.cmd.Wait()
}

// Log is what the server printed.
func (m *Moto) Log() string { return m.log.String() }
