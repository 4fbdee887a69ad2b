package profiling

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/grafana/pyroscope-go"
)

// DefaultAppName is the Pyroscope application name unless PYROSCOPE_APP_NAME is set.
const DefaultAppName = "goruntime-demo"

// StartPyroscopeFromEnv starts pushing profiles to the Pyroscope server at
// PYROSCOPE_URL. Without that variable it does nothing. The returned stop
// function flushes the last upload.
func StartPyroscopeFromEnv(log *slog.Logger) (stop func(), err error) {
	url := os.Getenv("PYROSCOPE_URL")
	if url == "" {
		return func() {}, nil
	}
	app := os.Getenv("PYROSCOPE_APP_NAME")
	if app == "" {
		app = DefaultAppName
	}
	p, err := pyroscope.Start(pyroscope.Config{
		ApplicationName: app,
		ServerAddress:   url,
		Tags:            map[string]string{"service": app},
		Logger:          nil, // the client's own logging is noisy; errors surface as missing data in Grafana
		ProfileTypes: []pyroscope.ProfileType{
			pyroscope.ProfileCPU,
			pyroscope.ProfileAllocObjects,
			pyroscope.ProfileAllocSpace,
			pyroscope.ProfileInuseObjects,
			pyroscope.ProfileInuseSpace,
			pyroscope.ProfileGoroutines,
			pyroscope.ProfileMutexCount,
			pyroscope.ProfileMutexDuration,
			pyroscope.ProfileBlockCount,
			pyroscope.ProfileBlockDuration,
		},
	})
	if err != nil {
		return nil, fmt.Errorf("start pyroscope client for %s: %w", url, err)
	}
	log.Info("pushing profiles to pyroscope", "url", url, "app", app)
	return func() { _ = p.Stop() }, nil
}
