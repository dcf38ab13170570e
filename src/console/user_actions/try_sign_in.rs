//! Try sign-in (`t`): the user signs in the way their app would, through an app client
//! that allows ADMIN_USER_PASSWORD_AUTH; the walk itself is `popups::try_sign_in`.

use super::UserAction;
use crate::console::action::Command;
use crate::console::effect::Effect;
use crate::console::owner::{Env, Outcome, Step};
use crate::console::popups::try_sign_in::TrySignIn;
use crate::pool::{User, UserStatus};

pub struct Ask;

impl UserAction for Ask {
    fn command(&self) -> Command {
        Command::TrySignIn
    }

    fn ask(&self, user: &User, env: &Env) -> Outcome {
        let Some(pool) = env.pool else {
            return Outcome::error("the pool is not loaded yet");
        };
        let popup = TrySignIn::new(
            &user.username,
            pool.config.password_policy.clone(),
            user.status == Some(UserStatus::ForceChangePassword),
        );
        match env.call(Effect::SignInClients) {
            Ok(effect) => Outcome::steps([Step::Open(Box::new(popup)), Step::Run(effect)]),
            Err(why) => Outcome::error(why),
        }
    }
}
