/*
 * The switches of the dialog and of the live charter, kept in step as Go's
 * are (app/root.go): a category that lists services has a switch of its
 * own, on when all of its services are, turning them all on or off.
 */
import { Markup } from "./protocol.ts";
import { categoryOf } from "./choice.js";

/** The enabled switches in box (input[data-key]), kept in step; the list's
 * sync() sets each category's switch from its services'. */
export const switchesIn = (box) => {
  const list = [...box.querySelectorAll(Markup.switches)];
  const services = (category) => list.filter((i) => categoryOf(i.dataset.key) == category && i.dataset.key != category);
  list.sync = () => {
    for (const i of list) if (services(i.dataset.key).length) i.checked = services(i.dataset.key).every((s) => s.checked);
  };
  for (const i of list) {
    i.addEventListener("change", () => {
      for (const s of services(i.dataset.key)) s.checked = i.checked;
      list.sync();
    });
  }
  return list;
};

/** The switches' positions by purpose key (protocol.ts, Switches). */
export const positions = (list) => Object.fromEntries(list.map((i) => [i.dataset.key, i.checked]));

/** choices, each purpose a switch of list names as that switch is ("save"). */
export const withSwitches = (choices, list) => {
  for (const i of list) if (i.dataset.key in choices) choices[i.dataset.key] = i.checked;
  return choices;
};

/** The controls of a part of the page, in order: the focus moves to the
 * same one when that part is drawn again (by Go, or by a new charter). */
export const controls = (box) => box.querySelectorAll("button,a,input,summary");
