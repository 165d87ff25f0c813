package sample

// The reporting units of the sample and the profiles that give each of them a
// realistic relative size. Profile numbers are weights, not data: every value
// in the sample is a share of a provincial or city total, and only the totals
// listed in the README are anchored to published figures.

const (
	provinceCode = "370000"
	linyiCode    = "371300"
	zoneCode     = "371371" // 临沂高新技术产业开发区
)

// cityProfile describes one of Shandong's 16 prefecture cities. Linyi's own
// figures are set explicitly (see linyi* in annual.go and monthly.go); its
// profile only names it.
type cityProfile struct {
	code, name string
	gdp        float64 // GDP weight, about 2019 亿元
	rdInt      float64 // R&D intensity, %, weights R&D by GDP
	ind        float64 // weight of industrial output above designated size
	share      float64 // high-tech share of industrial output, %
	innov      float64 // weight of innovation counts (enterprises, platforms…)
	listings   float64 // weight of STAR Market listings
}

// cities lists the 16 cities in code order. 莱芜 (371200) was merged into
// 济南 in 2019 and is not generated.
var cities = []cityProfile{
	{"370100", "济南市", 9443, 2.6, 6.8, 47, 14, 3},
	{"370200", "青岛市", 11741, 2.8, 10.5, 42, 17, 4},
	{"370300", "淄博市", 3642, 2.6, 7.0, 40, 7, 1},
	{"370400", "枣庄市", 1693, 1.6, 2.8, 30, 2.5, 0.3},
	{"370500", "东营市", 2916, 2.4, 7.5, 33, 4.5, 0.8},
	{"370600", "烟台市", 7653, 2.4, 10.0, 46, 10, 2},
	{"370700", "潍坊市", 5688, 2.4, 8.8, 44, 9, 1.5},
	{"370800", "济宁市", 4370, 1.9, 5.6, 37, 5.5, 0.8},
	{"370900", "泰安市", 2663, 2.0, 3.6, 41, 4, 0.6},
	{"371000", "威海市", 2963, 2.5, 3.8, 48, 4.5, 1.0},
	{"371100", "日照市", 1949, 1.7, 3.4, 29, 2.5, 0.3},
	{linyiCode, "临沂市", 0, 0, 0, 0, 0, 0},
	{"371400", "德州市", 3022, 1.6, 4.8, 38, 4, 0.5},
	{"371500", "聊城市", 2259, 1.6, 4.6, 31, 3.5, 0.4},
	{"371600", "滨州市", 2457, 1.8, 6.0, 27, 3.5, 0.4},
	{"371700", "菏泽市", 3410, 1.2, 4.6, 34, 4, 0.4},
}

// otherCities are the 15 cities whose figures are the province's remainder
// after Linyi.
func otherCities() []cityProfile {
	var out []cityProfile
	for _, c := range cities {
		if c.code != linyiCode {
			out = append(out, c)
		}
	}
	return out
}

// countyProfile describes one of Linyi's 12 county-level units.
type countyProfile struct {
	code, name string
	gdp        float64 // GDP weight
	rdInt      float64 // R&D intensity, %
	ind        float64 // industrial output weight
	share      float64 // high-tech share, %; rescaled so the city's comes out
	innov      float64 // weight of innovation counts
}

// counties: 兰山区 is the largest economy; 平邑县 and 蒙阴县 have the lowest
// high-tech shares.
var counties = []countyProfile{
	{"371302", "兰山区", 1010, 2.2, 900, 38, 22},
	{"371311", "罗庄区", 500, 2.4, 700, 40, 12},
	{"371312", "河东区", 420, 2.1, 520, 41, 10},
	{"371321", "沂南县", 290, 1.5, 300, 30, 5},
	{"371322", "郯城县", 300, 1.6, 330, 33, 6},
	{"371323", "沂水县", 420, 1.8, 480, 37, 8},
	{"371324", "兰陵县", 380, 1.4, 330, 28, 6},
	{"371325", "费县", 350, 1.7, 420, 34, 7},
	{"371326", "平邑县", 300, 1.2, 290, 22, 5},
	{"371327", "莒南县", 340, 1.5, 400, 31, 6},
	{"371328", "蒙阴县", 220, 1.1, 200, 21, 4},
	{"371329", "临沭县", 280, 2.0, 380, 42, 7},
}

// The high-tech zone overlaps the counties: it is a fraction of the city,
// never part of the county sum.
const (
	zoneRDInt     = 3.6  // R&D intensity, %
	zoneIndFrac   = 0.10 // of the city's industrial output
	zoneShare     = 0.60 // high-tech share of its industrial output
	zoneInnovFrac = 0.16 // of the city's innovation counts
)
