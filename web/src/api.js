/*
 * The page API, window.consentBanner (protocol.ts): what the portal's own
 * scripts call, and where its commands go. Go takes the commands once it
 * runs (Member.go), the loader before (Member.local); until the loader
 * comes they wait (Member.queue).
 */
import { api } from "./context.js";
import { Command, Member } from "./protocol.ts";

/** embed.js: the public API. */
export const installPageApi = () => {
  api[Member.queue] = api[Member.queue] || [];
  const command = (name) => () => {
    if (api[Member.go]) api[Member.go](name);
    else if (api[Member.local]) api[Member.local](name);
    else api[Member.queue].push(name);
  };
  api[Member.show] = command(Command.show);
  api[Member.showPreferences] = command(Command.showPreferences);
  api[Member.get] = () => api[Member.state];
  api[Member.acceptedCategory] = (name) => !!(api[Member.state] && api[Member.state].categories[name]);
};

/** The loader: runs the commands until Go does, those queued first. */
export const serveCommandsBeforeGo = (run) => {
  api[Member.local] = run;
  for (const name of api[Member.queue].splice(0)) api[Member.local](name);
};
