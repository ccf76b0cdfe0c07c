// What tests/test_qti_player.py asks of @citolab/qti-convert: each QTI 2.1 item file named after
// the output folder (argv[2]) becomes a QTI 3.0 item of the same name in that folder, through
// convertQti2toQti3 (the package's own XSLT, run by saxon-js in node; nothing is fetched).
import { convertQti2toQti3 } from "@citolab/qti-convert/qti-convert-node";
import { readFileSync, writeFileSync } from "fs";
import { basename, join } from "path";

const [out, ...items] = process.argv.slice(2);
for (const item of items) {
  const qti3 = await convertQti2toQti3(readFileSync(item, "utf8"));
  writeFileSync(join(out, basename(item)), qti3, "utf8");
}
