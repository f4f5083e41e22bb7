// The map of a lot's plots: a GeoJSON FeatureCollection drawn with Leaflet
// (Debian's libjs-leaflet, served by pergamino at /vendor/leaflet/) over a plain
// longitude/latitude grid. No tile layer: nothing is fetched from the internet.
// Points are circle markers, polygons are drawn as they are; each opens a popup
// with the producer and the plot. Without Leaflet the map degrades to a message.
import { el, replace } from './ui.js';

const LEAFLET = '/vendor/leaflet/';
let loading = null;

/** Leaflet's ES module and stylesheet, loaded once. */
function leaflet() {
  if (!loading) {
    if (!document.querySelector(`link[href="${LEAFLET}leaflet.css"]`)) {
      document.head.append(el('link', { rel: 'stylesheet', href: `${LEAFLET}leaflet.css` }));
    }
    loading = import(`${LEAFLET}leaflet.esm.js`).catch((err) => { loading = null; throw err; });
  }
  return loading;
}

/** A step of 1, 2 or 5 × 10^n giving about five grid lines over span degrees. */
export function gridStep(span) {
  const raw = Math.max(span, 1e-6) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const n = raw / mag;
  return (n < 1.5 ? 1 : n < 3.5 ? 2 : n < 7.5 ? 5 : 10) * mag;
}

/** "5,140° S", "78,995° O": degrees with the decimals the step needs. */
export function degrees(v, step, axis) {
  const d = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  const hemi = axis === 'lat' ? (v < 0 ? 'S' : 'N') : (v < 0 ? 'O' : 'E');
  const abs = Math.abs(v) < step / 1e6 ? 0 : Math.abs(v);
  return `${abs.toFixed(d).replace('.', ',')}° ${abs === 0 ? '' : hemi}`.trim();
}

/** The producer and plot a feature describes, whatever the exporter names its properties. */
export function plotInfo(p = {}) {
  const pick = (...keys) => keys.map((k) => k.split('.').reduce((o, x) => (o == null ? o : o[x]), p)).find((v) => v != null && v !== '');
  return {
    producer: pick('producer_name', 'ProducerName', 'producer.full_name', 'producer'),
    dni: pick('producer_dni', 'dni', 'producer.dni'),
    plot: pick('plot_name', 'ProductionPlace', 'production_place', 'name', 'plot.name'),
    area: pick('area_ha', 'Area', 'area'),
    place: pick('place', 'caserio', 'district'),
  };
}

function popup(feature) {
  const i = plotInfo(feature.properties || {});
  const area = i.area != null ? String(i.area).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '').replace('.', ',') : '';
  return el('div', { class: 'map-popup' },
    el('strong', null, i.producer || 'Productor'),
    i.dni && el('span', null, `DNI ${i.dni}`),
    el('span', null, `Parcela: ${i.plot || '—'}`),
    area && el('span', null, `Área: ${area} ha`),
    i.place && typeof i.place === 'string' && el('span', null, i.place));
}

/** Coordinates as numbers (the API may send decimal strings). */
function numeric(geometry) {
  const walk = (c) => (Array.isArray(c) ? c.map(walk) : Number(c));
  return geometry && { ...geometry, coordinates: walk(geometry.coordinates) };
}

function drawGrid(L, map, layer) {
  layer.clearLayers();
  const b = map.getBounds();
  const south = b.getSouth(); const north = b.getNorth(); const west = b.getWest(); const east = b.getEast();
  const step = gridStep(Math.max(north - south, east - west));
  const line = { color: '#8a7a68', weight: 1, opacity: 0.55, interactive: false, dashArray: '3 4' };
  const label = (latlng, text, cls) => L.marker(latlng, {
    interactive: false, keyboard: false,
    icon: L.divIcon({ className: `grid-label ${cls}`, html: el('span', null, text), iconSize: null }),
  }).addTo(layer);
  for (let lon = Math.ceil(west / step) * step; lon <= east; lon += step) {
    L.polyline([[south, lon], [north, lon]], line).addTo(layer);
    const p = map.latLngToContainerPoint([south, lon]);
    label(map.containerPointToLatLng([p.x, 4]), degrees(lon, step, 'lon'), 'grid-lon');
  }
  for (let lat = Math.ceil(south / step) * step; lat <= north; lat += step) {
    L.polyline([[lat, west], [lat, east]], line).addTo(layer);
    const p = map.latLngToContainerPoint([lat, west]);
    label(map.containerPointToLatLng([4, p.y]), degrees(lat, step, 'lat'), 'grid-lat');
  }
}

/** Waits until node is in the document (Leaflet measures its container). */
function attached(node) {
  return new Promise((resolve) => {
    const check = () => (node.isConnected ? resolve() : requestAnimationFrame(check));
    check();
  });
}

function draw(L, canvas, features) {
  const map = L.map(canvas, { attributionControl: false, zoomControl: false, zoomSnap: 0.25, minZoom: 3, maxZoom: 19, worldCopyJump: false });
  L.control.zoom({ position: 'topright', zoomInTitle: 'Acercar', zoomOutTitle: 'Alejar' }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);
  L.control.attribution({ prefix: 'Leaflet · sin mapa base' }).addTo(map);
  const grid = L.layerGroup().addTo(map);
  const plots = L.geoJSON({ type: 'FeatureCollection', features }, {
    pointToLayer: (_f, latlng) => L.circleMarker(latlng, { radius: 7, className: 'plot-point' }),
    style: (f) => (f.geometry.type === 'Point' ? { color: '#6b3d16', fillColor: '#b5651d', fillOpacity: 0.85, weight: 2 }
      : { color: '#2f5d2f', fillColor: '#5f9a4f', fillOpacity: 0.35, weight: 2, className: 'plot-area' }),
    onEachFeature: (f, layer) => layer.bindPopup(popup(f)),
  }).addTo(map);
  map.on('moveend', () => drawGrid(L, map, grid));
  map.fitBounds(plots.getBounds(), { padding: [40, 40], maxZoom: 15 });
  if (typeof ResizeObserver === 'function') new ResizeObserver(() => map.invalidateSize()).observe(canvas);
  return map;
}

/**
 * The plots of a GeoJSON FeatureCollection on a map. Returns the node at once;
 * the map is drawn when Leaflet has loaded and the node is in the page.
 * opts: {label} — the accessible name of the map.
 */
export function plotMap(collection, { label = 'Mapa de las parcelas' } = {}) {
  const features = ((collection && collection.features) || [])
    .filter((f) => f && f.geometry && ['Point', 'Polygon', 'MultiPolygon', 'MultiPoint'].includes(f.geometry.type))
    .map((f) => ({ ...f, geometry: numeric(f.geometry) }));
  const points = features.filter((f) => f.geometry.type.endsWith('Point')).length;
  const status = el('p', { class: 'map-status muted' }, 'Cargando el mapa…');
  const canvas = el('div', { class: 'map-canvas', role: 'region', 'aria-label': label });
  const node = el('figure', { class: 'plot-map' }, canvas,
    el('figcaption', null, `${features.length} parcelas en el mapa: ${points} como punto (menos de 4 ha) y ${features.length - points} como polígono. `,
      'Sin mapa base: las líneas son la cuadrícula de longitud y latitud.'), status);
  if (!features.length) {
    canvas.hidden = true;
    replace(status, 'Ninguna parcela tiene geolocalización para dibujar.');
    return node;
  }
  leaflet().then(async (L) => {
    await attached(canvas);
    draw(L, canvas, features);
    node.dataset.ready = '1';
    status.remove();
  }).catch(() => {
    canvas.hidden = true;
    status.className = 'map-status alert alert-warn';
    replace(status, 'El mapa no está disponible: el servidor no tiene Leaflet instalado (paquete libjs-leaflet). Las parcelas se listan abajo.');
  });
  return node;
}
