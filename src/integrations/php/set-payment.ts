import { phpTool } from '../../dolibarr/php/bootstrap.js';

/**
 * The payment constants through dolibarr_set_const() (as set-constants.php), plus, for Stripe, the user its webhook
 * acts as: public/stripe/ipn.php l.92-99 (20.0.2) refuses every event ("Setup of module Stripe not complete …
 * STRIPE_USER_ACCOUNT_FOR_ACTIONS is not defined", HTTP 400) until STRIPE_USER_ACCOUNT_FOR_ACTIONS holds a user id
 * (stripe/admin/stripe.php l.101 saves it from a user select). The plan's admin is that user.
 * Input: { htdocs, admin, constants: [{name, value, entity}], stripeActionsUser: bool }.
 */
export const setPaymentPhp = phpTool(`
$constants = $mokoInput['constants'] ?? array();
if (!empty($mokoInput['stripeActionsUser'])) {
	$constants[] = array('name' => 'STRIPE_USER_ACCOUNT_FOR_ACTIONS', 'value' => (string) $user->id, 'entity' => 1);
}
foreach ($constants as $c) {
	if (dolibarr_set_const($db, $c['name'], (string) $c['value'], 'chaine', 0, '', (int) $c['entity']) < 0) {
		moko_fail('dolibarr_set_const '.$c['name'].': '.$db->lasterror());
	} else {
		$mokoResult['done'][] = $c['name'];
	}
}
`);
