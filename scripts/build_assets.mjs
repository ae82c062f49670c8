// Builds the front-end assets into csphub/web/static/build/: the site's CSS
// (GOV.UK Frontend compiled with our settings), GOV.UK Frontend's script and
// images, and Leaflet. No bundler, no CDN: the site serves these itself.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "csphub/web/static/build");
const modules = join(root, "node_modules");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const css = sass.compile(join(root, "csphub/web/assets/csphub.scss"), {
  loadPaths: [modules],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "csphub.css"), css.css);

const govuk = join(modules, "govuk-frontend/dist/govuk");
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(govuk, "assets/images"), join(out, "govuk/images"), { recursive: true });

const leaflet = join(modules, "leaflet/dist");
mkdirSync(join(out, "leaflet"));
for (const name of ["leaflet.js", "leaflet.css"]) {
  cpSync(join(leaflet, name), join(out, "leaflet", name));
}
cpSync(join(leaflet, "images"), join(out, "leaflet/images"), { recursive: true });

console.log(`Built front-end assets into ${out}`);
