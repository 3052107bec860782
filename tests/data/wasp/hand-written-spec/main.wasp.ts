// Written for Sentinel's tests: the @wasp.sh/spec style of Wasp 0.24+.
import { action, app, page, query, route } from "@wasp.sh/spec";

import { createTask, updateTask } from "./src/actions" with { type: "ref" };
import { MainPage } from "./src/MainPage" with { type: "ref" };
import { getTasks } from "./src/queries" with { type: "ref" };
import { billingSpec } from "./src/billing/billing.wasp";

export default app({
  name: "TaskBoard",
  wasp: { version: "^0.24.0" },
  title: "Task board",
  decls: [
    route("RootRoute", "/", page(MainPage, { authRequired: false })),
    query(getTasks, { entities: ["Task"] }),
    action(createTask, { entities: ["Task"] }),
    action(updateTask, { entities: ["Task"] }),
    billingSpec,
  ],
});
