package main

import (
	"slices"
	"testing"
)

func TestEveryVisitToThePlainPageSaysWhenTheBannerShowed(t *testing.T) {
	ours := peerCases{
		Idle:          visit{Banner: 900},
		Stylesheet:    []visit{{Banner: 1000}},
		Customise:     []visit{{Banner: 910}, {Banner: 920}},
		CustomiseLate: visit{Banner: 930},
		Reject:        []visit{{Banner: 940}},
	}
	var banners []float64
	for _, v := range ours.onPlainPage() {
		banners = append(banners, v.Banner)
	}
	// The stylesheet's page is another page: its visits are not among them.
	if want := []float64{900, 910, 920, 930, 940}; !slices.Equal(banners, want) {
		t.Errorf("ours: banners %v, want %v", banners, want)
	}
	// tarteaucitron.js is visited without clicks: its idle visit and the
	// visits in the clicks' place.
	banners = nil
	for _, v := range (peerCases{Idle: visit{Banner: 1700}, Unclicked: []visit{{Banner: 1710}, {Banner: 1720}}}).onPlainPage() {
		banners = append(banners, v.Banner)
	}
	if want := []float64{1700, 1710, 1720}; !slices.Equal(banners, want) {
		t.Errorf("a manager without clicks: banners %v, want %v", banners, want)
	}
}
