package dashboards

import (
	"bytes"
	"embed"
	"html/template"
)

//go:embed templates/*.html
var templateFS embed.FS

// templates are html/template: everything from the data is escaped for
// where it lands, the chart options included (marshalled as JSON with <, >
// and & escaped inside the <script>).
var templates = template.Must(template.New("").ParseFS(templateFS, "templates/*.html"))

// renderIndex builds the charts and executes the index template.
func renderIndex(d *indexData) ([]byte, error) {
	specs, scripts, err := buildCharts(d)
	if err != nil {
		return nil, err
	}
	d.Charts, d.Scripts = specs, scripts
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, "index.html", d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
