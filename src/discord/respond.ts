import type { RepliableInteraction } from "discord.js";
import { toEdit, toMessage, type Reply } from "./render.js";

/** Answers an interaction: edits the deferred reply, or replies; every message goes through the renderer. */
export async function respond(interaction: RepliableInteraction, reply: Reply): Promise<void> {
  if (interaction.deferred || interaction.replied) await interaction.editReply(toEdit(reply));
  else await interaction.reply(toMessage(reply));
}

/** Replies privately, edits the deferred reply, or follows up — whichever the interaction's state allows. */
export async function sendPrivately(interaction: RepliableInteraction, reply: Reply): Promise<void> {
  const message = toMessage({ ...reply, ephemeral: true });
  if (interaction.isMessageComponent() && interaction.deferred && !interaction.replied) {
    // deferUpdate acknowledged the click on an existing message: deleting "the reply" would
    // delete that message, so the note follows up instead.
    await interaction.followUp(message);
  } else if (interaction.deferred && !interaction.replied) {
    // A deferred public reply cannot become private: replace it with a private follow-up.
    if (interaction.ephemeral) await interaction.editReply(toEdit(reply));
    else {
      await interaction.deleteReply().catch(() => undefined);
      await interaction.followUp(message);
    }
  } else if (interaction.replied) {
    await interaction.followUp(message);
  } else {
    await interaction.reply(message);
  }
}
